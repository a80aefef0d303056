"""Who said what in a mono recording: cluster voice vectors, label words, cut at speaker changes.

A mono call has no channel per speaker, so the speaker of each word is inferred from what
the voice sounds like. The recogniser's words are grouped into short *chunks* (≈1.5 s of
speech, never across a pause), each chunk gets a voice vector (made by the adapter), the
vectors are clustered (the number of voices is chosen, not forced to two), and a Viterbi
pass over the chunks keeps a speaker from flickering inside continuous speech while a pause
lets the speaker change for free. Segments are then cut at every word where the speaker
changes. Which voice is the medewerker is a guess (`guess_agent`) the examiner can swap.
Pure: vectors in, labels out (numpy and scikit-learn, no I/O).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .transcript import AGENT, CUSTOMER, MONO, Segment, Word


@dataclass(frozen=True)
class DiarizationOptions:
    """Every tuning value of the speaker step; part of the transcript cache key via `as_dict`."""

    chunk_s: float = 4.0  # speech per vector when the voices are learnt: long enough to be stable
    step_s: float = 1.0  # speech per vector when words get their speaker (resolution of a cut)
    chunk_pause_s: float = 0.3  # a chunk never spans a pause this long (a turn change is likely there)
    max_speakers: int = 4
    pca_dims: int = 8  # the main directions of spread; whitening them would weigh noise like voice
    pca_whiten: bool = False
    min_silhouette: float = 0.22  # below this, the split is noise in one voice: one speaker
    # more voices than two only when the Calinski-Harabasz score grows by this factor: on the
    # bench recordings three real voices scored 1.16-1.26x their best 2-split, two voices at most 0.88x
    min_gain: float = 1.05
    min_cluster_s: float = 1.0  # only chunks this long shape the voices; shorter ones just get the nearest
    min_share: float = 0.05  # a voice with less of the speech than this joins the nearest one
    switch_penalty: float = 2.0  # cost of a speaker change between chunks without a pause
    version: int = 3

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Chunk:
    start: float
    end: float
    words: tuple[int, ...]  # indices into the word list

    @property
    def duration(self) -> float:
        return self.end - self.start


def chunk_words(words: list[Word], opts: DiarizationOptions = DiarizationOptions()) -> list[Chunk]:
    """Consecutive words, at most `chunk_s` long, split at every pause of `chunk_pause_s`."""
    chunks: list[Chunk] = []
    current: list[int] = []
    for i, w in enumerate(words):
        if current:
            first, last = words[current[0]], words[current[-1]]
            if w.start - last.end >= opts.chunk_pause_s or w.end - first.start > opts.chunk_s:
                chunks.append(Chunk(first.start, last.end, tuple(current)))
                current = []
        current.append(i)
    if current:
        chunks.append(Chunk(words[current[0]].start, words[current[-1]].end, tuple(current)))
    return chunks


def _projection(vectors, opts: DiarizationOptions = DiarizationOptions()):
    """Standardise over the call and keep the main directions of spread (PCA), fitted on
    `vectors`; returns the function that projects any vectors the same way."""
    import numpy as np

    x = np.asarray(vectors, dtype=np.float64)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std = np.where(std > 1e-9, std, 1.0)
    n_comp = int(min(opts.pca_dims, x.shape[0] - 1, x.shape[1]))
    pca = None
    if n_comp >= 1:
        from sklearn.decomposition import PCA

        pca = PCA(n_comp, whiten=opts.pca_whiten, random_state=0).fit((x - mean) / std)

    def project(v):
        z = (np.asarray(v, dtype=np.float64) - mean) / std
        return pca.transform(z) if pca is not None else z

    return project


def _whiten(vectors, opts: DiarizationOptions = DiarizationOptions()):
    return _projection(vectors, opts)(vectors)


def cluster(vectors, weights=None, opts: DiarizationOptions = DiarizationOptions(), whiten: bool = True):
    """(labels, centroids, features): k-means on whitened vectors for 2..max_speakers voices.
    Whether there is more than one voice: the best silhouette must pass `min_silhouette`.
    How many: the Calinski-Harabasz score (spread between voices against spread within them),
    a larger count only when it gains `min_gain`. The silhouette alone preferred two voices
    when two of three sat close together next to a far third (docs/performance.md). Deterministic."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.metrics import calinski_harabasz_score, silhouette_score

    x = _whiten(vectors, opts) if whiten else np.asarray(vectors, dtype=np.float64)
    n = x.shape[0]
    weights = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    splits = []  # (labels, silhouette, Calinski-Harabasz) per k
    for k in range(2, min(opts.max_speakers, n - 1) + 1):
        labels = KMeans(k, n_init=10, random_state=0).fit_predict(x, sample_weight=weights)
        if len(set(labels)) < 2:
            continue
        splits.append((labels, silhouette_score(x, labels), calinski_harabasz_score(x, labels)))
    best = np.zeros(n, dtype=int)
    if splits and max(s[1] for s in splits) > opts.min_silhouette:
        chosen = splits[0]
        for split in splits[1:]:
            if split[2] > chosen[2] * opts.min_gain:
                chosen = split
        best = chosen[0]
    labels = _merge_small(x, best, weights, opts.min_share)
    centroids = np.stack([x[labels == k].mean(axis=0) for k in range(labels.max() + 1)])
    return labels, centroids, x


def _merge_small(x, labels, weights, min_share: float):
    """Clusters holding less than `min_share` of the speech join their nearest neighbour."""
    import numpy as np

    labels = labels.copy()
    while True:
        ids = sorted(set(labels.tolist()))
        if len(ids) < 2:
            break
        share = {k: weights[labels == k].sum() / weights.sum() for k in ids}
        small = min(ids, key=lambda k: share[k])
        if share[small] >= min_share:
            break
        cents = {k: x[labels == k].mean(axis=0) for k in ids}
        target = min((k for k in ids if k != small), key=lambda k: np.linalg.norm(cents[k] - cents[small]))
        labels[labels == small] = target
    _, labels = np.unique(labels, return_inverse=True)  # renumber 0..k-1
    return labels


def smooth(features, centroids, chunks: list[Chunk], opts: DiarizationOptions = DiarizationOptions()) -> list[int]:
    """Viterbi over chunks: cost = squared distance to the speaker's centroid, plus
    `switch_penalty` for a change without a pause between the chunks (mid-sentence)."""
    import numpy as np

    k = len(centroids)
    if k == 1:
        return [0] * len(chunks)
    dist = ((features[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    dist = dist / max(float(np.median(dist)), 1e-9)
    cost = dist[0].copy()
    back = np.zeros((len(chunks), k), dtype=int)
    for i in range(1, len(chunks)):
        pause = chunks[i].start - chunks[i - 1].end >= opts.chunk_pause_s
        penalty = 0.0 if pause else opts.switch_penalty
        trans = cost[:, None] + penalty * (1 - np.eye(k))  # from row to column
        back[i] = trans.argmin(axis=0)
        cost = trans.min(axis=0) + dist[i]
    path = [int(cost.argmin())]
    for i in range(len(chunks) - 1, 0, -1):
        path.append(int(back[i][path[-1]]))
    return path[::-1]


def word_labels(n_words: int, chunks: list[Chunk], chunk_labels: list[int]) -> list[int]:
    out = [0] * n_words
    for chunk, lab in zip(chunks, chunk_labels):
        for i in chunk.words:
            out[i] = lab
    return out


def refine_changes(
    words: list[Word],
    per_word: list[int],
    fine: list[Chunk],
    path: list[int],
    vectors_for,
    centroids,
    used: list[int],
    opts: DiarizationOptions = DiarizationOptions(),
) -> list[int]:
    """A change between two chunks without a pause between them lies somewhere in those
    chunks: put it at the word that best splits them, judged word by word (one vector per
    word, squared distance to each side's voice)."""
    import numpy as np

    out = list(per_word)
    for i in range(1, len(fine)):
        a, b = path[i - 1], path[i]
        if a == b or fine[i].start - fine[i - 1].end >= opts.chunk_pause_s:
            continue
        idx = list(fine[i - 1].words) + list(fine[i].words)
        single = [Chunk(words[j].start, words[j].end, (j,)) for j in idx]
        x = vectors_for(single)
        ca, cb = centroids[used[a]], centroids[used[b]]
        da, db = ((x - ca) ** 2).sum(axis=1), ((x - cb) ** 2).sum(axis=1)
        costs = [da[:j].sum() + db[j:].sum() for j in range(1, len(idx))]  # at least one word each side
        cut = 1 + int(np.argmin(costs))
        for j, w in enumerate(idx):
            out[w] = a if j < cut else b
    return out


def cut_at_changes(segments: list[Segment], labels: list[int], names: dict[int, str]) -> list[Segment]:
    """Segments cut at every word where the speaker label changes; each piece takes the
    speaker of its words. `labels` runs over the words of all segments in order; a segment
    without words keeps its place with the label of the word before it (or the first)."""
    out: list[Segment] = []
    pos = 0
    last = labels[0] if labels else 0
    for seg in segments:
        if not seg.words:
            out.append(Segment(seg.start, seg.end, names.get(last, MONO), seg.text, seg.channel, seg.words))
            continue
        run: list[Word] = []
        run_label = labels[pos]
        for w in seg.words:
            lab = labels[pos]
            pos += 1
            if run and lab != run_label:
                out.append(_piece(seg, run, names[run_label]))
                run = []
            run_label = lab
            run.append(w)
        out.append(_piece(seg, run, names[run_label]))
        last = run_label
    return out


def _piece(seg: Segment, words: list[Word], speaker: str) -> Segment:
    if len(words) == len(seg.words):
        return Segment(seg.start, seg.end, speaker, seg.text, seg.channel, seg.words)
    text = "".join(w.word for w in words).strip()
    return Segment(words[0].start, words[-1].end, speaker, text, seg.channel, tuple(words))


#: how a medewerker opens an inbound call ("u spreekt met", "Duinstroom Energie, met Mark",
#: "Ja, klantenservice", "welkom bij")
_GREETING = re.compile(
    r"\b(u spreekt met|spreekt u met|klantenservice|welkom bij|waarmee kan ik|"
    r"wat kan ik voor u doen|(energie|bank|verzekering\w*|service|support),? met)\b"
)


def guess_agent(segments: list[Segment], labels_of_segments: list[int]) -> int:
    """The label of the medewerker, guessed: the voice that opens with a company greeting in
    its first two turns; else the one who speaks first (an inbound call is answered by the
    medewerker)."""
    seen: dict[int, int] = {}
    for seg, lab in zip(segments, labels_of_segments):
        seen[lab] = seen.get(lab, 0) + 1
        if seen[lab] <= 2 and _GREETING.search(seg.text.lower()):
            return lab
    return labels_of_segments[0] if labels_of_segments else 0


def speaker_names(n_speakers: int, agent: int, by_size: list[int] | None = None) -> dict[int, str]:
    """Label → speaker: one voice stays `spreker`; else the guessed medewerker, the largest
    other voice (`by_size`: labels, most speech first) `klant`, further voices `spreker 3`, …"""
    if n_speakers <= 1:
        return {0: MONO}
    names = {agent: AGENT}
    rest = [k for k in (by_size or range(n_speakers)) if k != agent]
    names[rest[0]] = CUSTOMER
    for i, k in enumerate(rest[1:], start=3):
        names[k] = f"{MONO} {i}"
    return names


def assign(segments: list[Segment], vectors_for, opts: DiarizationOptions = DiarizationOptions()) -> list[Segment]:
    """Speakers for mono `segments` (ordered by time). `vectors_for(chunks)` gives one voice
    vector per chunk of their words. The voices are learnt on chunks of `chunk_s`; every
    word then gets its speaker from chunks of `step_s` (Viterbi-smoothed), so a turn change
    without a pause is cut within about a word or two."""
    import numpy as np

    words = [w for s in segments for w in s.words]
    chunks = chunk_words(words, opts)
    if len(chunks) < 4:  # too little speech to tell voices apart
        return [Segment(s.start, s.end, MONO, s.text, s.channel, s.words) for s in segments]
    vectors = vectors_for(chunks)
    project = _projection(vectors, opts)
    x = project(vectors)
    weights = np.array([max(c.duration, 0.05) for c in chunks])
    solid = weights >= opts.min_cluster_s
    if solid.sum() < 4:
        solid[:] = True
    labels, _, _ = cluster(x[solid], weights[solid], opts, whiten=False)
    centroids = np.stack([x[solid][labels == k].mean(axis=0) for k in range(labels.max() + 1)])
    if len(centroids) == 1:
        return [Segment(s.start, s.end, MONO, s.text, s.channel, s.words) for s in segments]
    fine = chunk_words(words, replace(opts, chunk_s=opts.step_s))
    path = smooth(project(vectors_for(fine)), centroids, fine, opts)
    used = sorted(set(path), key=path.index)  # renumber by first appearance
    path = [used.index(k) for k in path]
    if len(used) == 1:
        return [Segment(s.start, s.end, MONO, s.text, s.channel, s.words) for s in segments]
    per_word = word_labels(len(words), fine, path)
    per_word = refine_changes(words, per_word, fine, path, lambda ws: project(vectors_for(ws)), centroids, used, opts)
    pieces = cut_at_changes(segments, per_word, {k: str(k) for k in range(len(used))})
    agent = guess_agent(pieces, [int(p.speaker) for p in pieces])
    amount = {k: sum(c.duration for c, lab in zip(fine, path) if lab == k) for k in range(len(used))}
    names = speaker_names(len(used), agent, sorted(amount, key=lambda k: -amount[k]))
    return [Segment(p.start, p.end, names[int(p.speaker)], p.text, p.channel, p.words) for p in pieces]


def word_accuracy(reference: list[tuple[float, float, str]], hypothesis: list[tuple[float, str]]) -> float:
    """Share of reference turn time points (word midpoints of the hypothesis) whose speaker
    matches the reference turn speaker, under the best one-to-one mapping of labels.

    `reference`: (start, end, speaker) per turn; `hypothesis`: (time, speaker) per word.
    Words outside every reference turn are not counted."""
    from itertools import permutations

    pairs = []
    for t, spk in hypothesis:
        ref = next((r for s, e, r in reference if s - 0.25 <= t <= e + 0.25), None)
        if ref is not None:
            pairs.append((ref, spk))
    if not pairs:
        return 0.0
    refs = sorted({r for r, _ in pairs})
    hyps = sorted({h for _, h in pairs})
    best = 0
    small, large = (hyps, refs) if len(hyps) <= len(refs) else (refs, hyps)
    for perm in permutations(large, len(small)):
        mapping = dict(zip(small, perm))
        if small is hyps:
            hits = sum(1 for r, h in pairs if mapping[h] == r)
        else:
            hits = sum(1 for r, h in pairs if mapping[r] == h)
        best = max(best, hits)
    return best / len(pairs)
