// Transcript view: the rows and words, tag marks, following the playing line, search (/),
// in-place correction (E) and the walk through low-confidence words (N).

Object.assign(Player.prototype, {
  // ------------------------------------------------------------ transcript
  buildTranscript() {
    const segs = this.data.segments || [];
    const n = segs.length;
    let nw = 0;
    for (const s of segs) nw += s.w.length;
    this.segS = new Float64Array(n);
    this.segE = new Float64Array(n);
    this.segW0 = new Int32Array(n);
    this.segW1 = new Int32Array(n);
    this.wS = new Float64Array(nw);
    this.wE = new Float64Array(nw);
    this.words = new Array(nw);
    this.wordSeg = new Int32Array(nw);
    const text = this.mode === "text";
    const parts = [];
    let w = 0;
    segs.forEach((seg, i) => {
      this.segS[i] = seg.s;
      this.segE[i] = seg.e;
      this.segW0[i] = w;
      const spans = [];
      const last = seg.w.length - 1;
      seg.w.forEach((word, j) => {
        const [ws, we, tok, p] = word;
        this.wS[w] = ws;
        this.wE[w] = we;
        this.words[w] = word;
        this.wordSeg[w] = i;
        let cls = "kp-w";
        let title = "";
        if (p !== null && p !== undefined && p < 0.5) {
          cls += " kp-low";
          title = ` title="Onzeker woord: zekerheid ${Math.round(p * 100)}%"`;
        }
        // the space lives inside the word span, so tag and selection tints run unbroken
        const space = j < last && !seg.w[j + 1][4] ? " " : ""; // none before a glued word (",513")
        spans.push(`<span class="${cls}" data-w="${w}"${title}>${esc(tok)}${space}</span>`);
        w++;
      });
      this.segW1[i] = w; // exclusive
      const when = text ? `#${seg.i + 1}` : fmt(seg.s);
      const whenTitle = text ? "Beurt" : "Speel vanaf hier";
      parts.push(
        `<div class="kp-row kp-sp-${esc(seg.spc || "anders")}" data-seg="${i}">` +
          `<div class="kp-meta"><span class="kp-spk">${esc(seg.spl)}</span>` +
          `<button type="button" class="kp-time" data-seek="${i}" title="${whenTitle}">${when}</button>` +
          (seg.ed ? `<span class="kp-edited" title="Tekst aangepast; woordtijden benaderd">bewerkt</span>` : "") +
          `</div><div class="kp-text">${spans.join("")}</div></div>`
      );
    });
    this.transcript.innerHTML = n
      ? parts.join("")
      : `<div class="kp-empty">Nog geen transcript.</div>`;
    this.rows = Array.from(this.transcript.querySelectorAll(".kp-row"));
    this.wordEls = Array.from(this.transcript.querySelectorAll(".kp-w"));
    this.tagMarked = [];
    this.badges = [];
  },

  segRange(s, e) {
    // indices of segments overlapping [s, e)
    const out = [];
    for (let i = 0; i < this.segS.length; i++) {
      if (this.segS[i] < e && this.segE[i] > s) out.push(i);
      else if (this.segS[i] === s && this.segE[i] === s && s === e) out.push(i);
    }
    return out;
  },

  wordsInRange(s, e) {
    // word indices whose time overlaps [s, e) by at least half the word (or fully contains the range)
    const out = [];
    for (const i of this.segRange(s, e)) {
      for (let w = this.segW0[i]; w < this.segW1[i]; w++) {
        const ws = this.wS[w];
        const we = this.wE[w];
        const ov = Math.min(we, e) - Math.max(ws, s);
        if (ov > 0 && (ov >= 0.5 * (we - ws) || (ws <= s && we >= e))) out.push(w);
      }
    }
    return out;
  },

  applyTags() {
    for (const el of this.tagMarked) {
      el.classList.remove("kp-tag", "kp-neg");
      el.style.removeProperty("--tag-c");
      el.removeAttribute("data-tagid");
      if (el.dataset.title0 !== undefined) {
        if (el.dataset.title0) el.title = el.dataset.title0; else el.removeAttribute("title");
        delete el.dataset.title0;
      }
    }
    for (const b of this.badges) b.remove();
    this.tagMarked = [];
    this.badges = [];
    const tags = this.data.tags || [];
    for (const t of tags) {
      const ws = this.wordsInRange(t.s, t.e);
      if (!ws.length) continue;
      const desc = `${t.item}${t.label ? " " + t.label : ""} (${t.pol === "-" ? "negatief" : "positief"})${t.note ? ": " + t.note : ""}`;
      for (const w of ws) {
        const el = this.wordEls[w];
        if (!el || el.classList.contains("kp-tag")) continue;
        el.classList.add("kp-tag");
        if (t.pol === "-") el.classList.add("kp-neg");
        el.style.setProperty("--tag-c", t.color);
        el.dataset.tagid = String(t.id);
        el.dataset.title0 = el.getAttribute("title") || "";
        el.title = (el.dataset.title0 ? el.dataset.title0 + "\n" : "") + desc;
        this.tagMarked.push(el);
      }
      const first = this.wordEls[ws[0]];
      if (first) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "kp-badge" + (t.pol === "-" ? " kp-neg" : "");
        b.dataset.tag = String(t.id);
        b.style.setProperty("--tag-c", t.color);
        b.textContent = `${t.item} ${t.pol === "-" ? "−" : "+"}`;
        b.title = desc + " — klik om af te spelen";
        first.before(b);
        this.badges.push(b);
      }
    }
  },

  follow(seg) {
    const row = this.rows[seg];
    const c = this.transcript;
    if (!row || !c.clientHeight) return;
    const now = performance.now();
    if (now < this.userScrollUntil) {
      this.followBtn.hidden = false;
      return;
    }
    this.followBtn.hidden = true;
    const top = row.offsetTop;
    const bottom = top + row.offsetHeight;
    const viewTop = c.scrollTop;
    const h = c.clientHeight;
    if (top >= viewTop + 0.08 * h && bottom <= viewTop + 0.78 * h) return;
    // the user just clicked a visible row: don't move the text under the mouse
    if (now - this.lastTextClick < 800 && top >= viewTop && bottom <= viewTop + h) return;
    c.scrollTo({ top: Math.max(0, top - 0.22 * h), behavior: "smooth" });
  },

  userScrolled() {
    this.userScrollUntil = performance.now() + FOLLOW_PAUSE_MS;
    if (!this.audio.paused) this.followBtn.hidden = false;
    clearTimeout(this.followT);
    this.followT = setTimeout(() => {
      this.followBtn.hidden = true;
      if (!this.audio.paused && this.curSeg >= 0) this.follow(this.curSeg);
    }, FOLLOW_PAUSE_MS + 50);
  },

  // --------------------------------------------------------------- search (#19.7)
  // / (or F) opens a search field over the transcript; Enter jumps to the next line that
  // contains the text (Shift+Enter: the previous one) and the player follows; Esc closes.
  openSearch() {
    if (this.searchBox) { this.searchBox.querySelector("input").focus(); return; }
    const box = document.createElement("div");
    box.className = "kp-search";
    box.style.cssText = "position:absolute;z-index:50;right:8px;top:8px;background:#fff;border:1px solid #0f766e;"
      + "border-radius:6px;padding:6px;box-shadow:0 4px 16px rgba(0,0,0,.2);font-size:14px;";
    const input = document.createElement("input");
    input.className = "kp-search-input";
    input.setAttribute("aria-label", "Zoeken in het transcript");
    input.placeholder = "Zoek in transcript; Enter = volgende";
    input.style.cssText = "width:240px;padding:3px 6px;font-size:14px;";
    const info = document.createElement("div");
    info.className = "kp-search-info";
    let at = -1;
    const lines = () => (this.data.segments || []).map((sg) => joinWords(sg.w).toLowerCase());
    const go = (dir) => {
      const q = input.value.trim().toLowerCase();
      if (!q) return;
      const hits = [];
      lines().forEach((t, i) => { if (t.includes(q)) hits.push(i); });
      if (!hits.length) { info.textContent = "Geen treffers"; return; }
      let n = dir > 0 ? hits.findIndex((i) => i > at) : hits.map((i) => i < at).lastIndexOf(true);
      if (n < 0) n = dir > 0 ? 0 : hits.length - 1;
      at = hits[n];
      info.textContent = `Treffer ${n + 1} van ${hits.length}`;
      (this.rows || []).forEach((r) => r.classList.remove("kp-hit"));
      if (this.rows && this.rows[at]) {
        this.rows[at].classList.add("kp-hit");
        this.rows[at].style.outline = "2px solid #f59e0b";
      }
      this.seek(this.segS[at], false);
    };
    input.addEventListener("input", () => { at = -1; info.textContent = ""; });
    input.addEventListener("keydown", (ev) => {
      ev.stopPropagation();
      if (ev.key === "Enter") { ev.preventDefault(); go(ev.shiftKey ? -1 : 1); }
      else if (ev.key === "Escape") {
        ev.preventDefault();
        (this.rows || []).forEach((r) => { r.classList.remove("kp-hit"); r.style.outline = ""; });
        box.remove();
        this.searchBox = null;
      }
    });
    box.append(input, info);
    this.el.style.position = this.el.style.position || "relative";
    this.el.appendChild(box);
    this.searchBox = box;
    input.focus();
  },

  // --------------------------------------------------------------- in-place correction (#19.7)
  // E (the playing line) or a double click on a line's text turns it into a text field; Enter
  // sends the corrected text with the version shown (the page saves it through the same
  // version-checked service as the Transcript tab), Esc puts the line back unchanged.
  editLine(i) {
    const seg = (this.data.segments || [])[i];
    const row = this.rows && this.rows[i];
    if (!seg || !row || this.mode !== "audio" || this.data.can_correct === false) return;
    const textEl = row.querySelector(".kp-text");
    if (!textEl || row.querySelector(".kp-edit")) return;
    const old = joinWords(seg.w);
    const input = document.createElement("input");
    input.className = "kp-edit";
    input.value = old;
    input.setAttribute("aria-label", "Regel corrigeren (Enter slaat op, Esc annuleert)");
    input.style.cssText = "width:100%;box-sizing:border-box;font:inherit;padding:2px 4px;";
    textEl.hidden = true;
    textEl.after(input);
    const close = () => { input.remove(); textEl.hidden = false; };
    input.addEventListener("keydown", (ev) => {
      ev.stopPropagation();
      if (ev.key === "Escape") { ev.preventDefault(); close(); }
      else if (ev.key === "Enter") {
        ev.preventDefault();
        const text = input.value.trim();
        close();
        if (text && text !== old) {
          this.flash("Correctie opslaan…");
          this.emit({ type: "correct", index: seg.i, version: seg.v, text });
        }
      }
    });
    input.addEventListener("blur", () => setTimeout(() => { if (input.isConnected) close(); }, 150));
    input.focus();
    input.select();
  },

  // --------------------------------------------------------------- low-confidence words (#19.8)
  // N jumps to the next word the recogniser was unsure of (after the playing position; after
  // the last one it starts again at the first) and plays it with a little context.
  nextLowWord() {
    const low = [];
    for (let w = 0; w < this.words.length; w++) {
      const p = this.words[w] && this.words[w][3];
      if (p !== null && p !== undefined && p < 0.5) low.push(w);
    }
    if (!low.length) { this.flash("Geen onzekere woorden"); return; }
    const now = this.audio.currentTime + 0.31;
    const w = low.find((i) => this.wS[i] > now) ?? low[0];
    this.playRange(Math.max(0, this.wS[w] - 0.3), this.wE[w] + 0.3);
    const n = low.indexOf(w) + 1;
    this.flash(`Onzeker woord ${n} van ${low.length}: ${String(this.words[w][2]).trim()}`);
  },

  // transcript: click = seek (audio), drag = select, scroll = stop following
  bindTranscript(opt) {
    const tr = this.transcript;
    tr.addEventListener("dblclick", (e) => {
      const row = e.target.closest && e.target.closest(".kp-row");
      if (row && e.target.closest(".kp-text")) this.editLine(Number(row.dataset.seg));
    }, opt);
    tr.addEventListener("click", (e) => {
      G.active = this;
      this.lastTextClick = performance.now();
      const badge = e.target.closest(".kp-badge");
      if (badge) { e.preventDefault(); this.tagClick(badge.dataset.tag); return; }
      const r = this.domRange();
      if (r && !r.collapsed) return; // a selection, handled on mouseup
      if (this.mode !== "audio") return;
      const time = e.target.closest(".kp-time");
      if (time) { this.seek(this.segS[Number(time.dataset.seek)], true, true); return; }
      const w = e.target.closest(".kp-w");
      if (w) this.seek(this.wS[Number(w.dataset.w)], true, true);
    }, opt);
    // Native selection first; if Chrome leaves it collapsed (it does when the press lands
    // exactly on a glyph edge), fall back to the words under press and release.
    const wordIndexAt = (e) => {
      const w = e.target && e.target.closest ? e.target.closest(".kp-w") : null;
      return w ? Number(w.dataset.w) : null;
    };
    tr.addEventListener("mousedown", (e) => {
      this.downWord = e.button === 0 ? wordIndexAt(e) : null;
    }, opt);
    tr.addEventListener("mouseup", (e) => {
      const from = this.downWord;
      const to = wordIndexAt(e);
      this.downWord = null;
      setTimeout(() => {
        if (this.readTextSelection()) return;
        if (from === null || to === null || from === to) return;
        this.selectWords(Math.min(from, to), Math.max(from, to));
      }, 0);
    }, opt);
    tr.addEventListener("keyup", (e) => {
      if (e.shiftKey) setTimeout(() => this.readTextSelection(), 0);
    }, opt);
    const scrolled = () => this.userScrolled();
    tr.addEventListener("wheel", scrolled, { ...opt, passive: true });
    tr.addEventListener("touchmove", scrolled, { ...opt, passive: true });
    tr.addEventListener("pointerdown", (e) => {
      G.active = this;
      if (e.target === tr) scrolled(); // the scrollbar
    }, opt);
    tr.addEventListener("keydown", (e) => {
      if (["PageUp", "PageDown", "ArrowUp", "ArrowDown", "Home", "End"].includes(e.key)) scrolled();
    }, opt);
    this.followBtn.addEventListener("click", () => {
      this.userScrollUntil = 0;
      this.followBtn.hidden = true;
      if (this.curSeg >= 0) this.follow(this.curSeg);
    }, opt);
  },
});
