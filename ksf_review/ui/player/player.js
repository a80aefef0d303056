// KSF review player: audio + waveform + transcript, kept in sync.
// Streamlit components v2 module (runs in the app page, inside the component's shadow root).
// No dependencies. One Player per mounted element: Streamlit calls the default export again
// whenever `data` changes, and we only apply what changed (never reload the audio).

const G = (window.__ksfPlayer = window.__ksfPlayer || {
  positions: {}, // store_key -> {src, t, playing}: survives re-created elements
  commands: {}, // store_key -> last executed command seq
  players: new Set(),
  active: null, // the player keyboard shortcuts go to
});

const FOLLOW_PAUSE_MS = 4000;
const TYPING_ROLES = new Set([
  "textbox", "searchbox", "combobox", "listbox", "option", "slider", "spinbutton",
  "menu", "menuitem", "grid", "gridcell",
]);

function fmt(sec) {
  sec = Math.max(0, Math.floor(sec || 0));
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = String(sec % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => (
    { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]
  ));
}

// index of the last element of sorted `arr` that is <= x, or -1
function lastLE(arr, x, lo = 0, hi = arr.length - 1) {
  let ans = lo - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] <= x) { ans = mid; lo = mid + 1; } else { hi = mid - 1; }
  }
  return ans;
}

function isTypingTarget(e) {
  const path = e.composedPath ? e.composedPath() : [e.target];
  let deep = document.activeElement;
  while (deep && deep.shadowRoot && deep.shadowRoot.activeElement) {
    path.push(deep);
    deep = deep.shadowRoot.activeElement;
  }
  if (deep) path.push(deep);
  for (const el of path) {
    if (!el || el.nodeType !== 1) continue;
    const tag = el.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return true;
    if (el.isContentEditable) return true;
    const role = el.getAttribute && el.getAttribute("role");
    if (role && TYPING_ROLES.has(role)) return true;
  }
  return false;
}

function onWindowKey(e) {
  // Ctrl+Z (Cmd+Z) outside a text field presses the page's "Ongedaan maken" button (#19.4)
  if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === "z" || e.key === "Z") && !isTypingTarget(e)) {
    const undo = document.querySelector('[class*="st-key-undo-"] button');
    if (undo && !undo.disabled) {
      e.preventDefault();
      e.stopImmediatePropagation();
      undo.click();
    }
    return;
  }
  // shortcuts go to the audio player used last, else to the first audio player on the page
  let p = G.active;
  if (!p || !p.alive() || p.mode !== "audio") {
    p = [...G.players].find((x) => x.alive() && x.mode === "audio") || null;
  }
  if (p) p.onKey(e);
}
function onWindowKeyUp(e) {
  if (G.swallowKeyUp && e.key === G.swallowKeyUp) {
    e.preventDefault();
    e.stopImmediatePropagation();
    G.swallowKeyUp = null;
  }
}
if (!G.keyListener) {
  G.keyListener = true;
  // capture phase on window: runs before Streamlit's own hotkeys (e.g. "R" = rerun)
  window.addEventListener("keydown", onWindowKey, { capture: true });
  window.addEventListener("keyup", onWindowKeyUp, { capture: true });
}

class Player {
  constructor(root) {
    this.root = root;
    this.el = root.querySelector(".kp");
    this.audio = this.el.querySelector(".kp-audio");
    this.canvas = this.el.querySelector(".kp-canvas");
    this.waveBox = this.el.querySelector(".kp-wave");
    this.transcript = this.el.querySelector(".kp-transcript");
    this.followBtn = this.el.querySelector(".kp-follow");
    this.statusEl = this.el.querySelector(".kp-status");
    this.playLabel = this.el.querySelector(".kp-play-label");
    this.loopBtn = this.el.querySelector('[data-act="loop"]');
    this.rateSel = this.el.querySelector('select[data-act="rate"]');
    this.nowEl = this.el.querySelector(".kp-now");
    this.totalEl = this.el.querySelector(".kp-total");

    this.data = {};
    this.mode = "audio";
    this.sig = null;
    this.segS = new Float64Array(0);
    this.segE = new Float64Array(0);
    this.segW0 = new Int32Array(0);
    this.segW1 = new Int32Array(0);
    this.wS = new Float64Array(0);
    this.wE = new Float64Array(0);
    this.words = [];
    this.wordEls = [];
    this.rows = [];
    this.tagMarked = [];
    this.badges = [];
    this.curSeg = -1;
    this.curWord = -1;
    this.sel = null; // {s, e}
    this.selWords = null; // [a, b]
    this.loop = false;
    this.loopRange = null;
    this.stopAt = null;
    this.appliedRate = null;
    this.lastReport = 0;
    this.lastReportedT = -1;
    this.userScrollUntil = 0;
    this.lastTextClick = 0;
    this.raf = 0;
    this.drag = null;
    this.hoverX = null;
    this.peakLayers = null;
    this.tagRows = [];
    this.setState = () => {};
    this.setTrigger = () => {};
    this.ac = new AbortController();
    this.bindDom();
    G.players.add(this);
  }

  alive() {
    return this.el && this.el.isConnected;
  }

  bind(setStateValue, setTriggerValue) {
    this.setState = setStateValue || this.setState;
    this.setTrigger = setTriggerValue || this.setTrigger;
  }

  // ------------------------------------------------------------------ data
  update(data) {
    this.data = data || {};
    this.mode = this.data.mode === "text" ? "text" : "audio";
    this.storeKey = String(this.data.store_key || "");
    this.el.classList.toggle("kp-text-mode", this.mode === "text");
    this.el.classList.toggle("kp-audio-mode", this.mode === "audio");
    this.transcript.style.maxHeight = `${this.data.transcript_height || 460}px`;
    this.readTheme();

    if (!this.rateSel.options.length) this.buildStatic();

    if (this.data.sig !== this.sig) {
      this.buildTranscript();
      this.sig = this.data.sig;
      this.curSeg = -1;
      this.curWord = -1;
      this.setSelection(null);
    }
    this.applyTags();
    this.layoutTagRows();

    if (this.mode === "audio") {
      this.setSource(this.data.src);
      if (this.data.rate !== this.appliedRate) {
        this.appliedRate = this.data.rate;
        this.setRate(this.data.rate || 1, false);
      }
      this.buildPeakLayers();
      this.runCommand(this.data.command);
    } else {
      this.setSource(null);
    }
    this.tick(true);
  }

  readTheme() {
    const cs = getComputedStyle(this.el);
    const text = cs.color || "rgb(31,41,55)";
    const m = text.match(/\d+(\.\d+)?/g) || [31, 41, 55];
    const lum = (0.299 * m[0] + 0.587 * m[1] + 0.114 * m[2]) / 255;
    this.dark = lum > 0.6; // light text => dark background
    this.colors = this.dark
      ? { unplayed: "rgba(255,255,255,0.22)", played: "rgba(255,255,255,0.78)",
          axis: "rgba(255,255,255,0.55)", grid: "rgba(255,255,255,0.08)", head: "#fbbf24",
          label: "rgba(255,255,255,0.7)", mid: "rgba(255,255,255,0.12)" }
      : { unplayed: "#cbd5e1", played: "#475569", axis: "#64748b", grid: "rgba(15,23,42,0.06)",
          head: "#0f172a", label: "#475569", mid: "rgba(15,23,42,0.10)" };
    this.colors.accent = "#0f766e";
  }

  buildStatic() {
    const speeds = this.data.speeds || [0.5, 0.75, 1, 1.25, 1.5, 2];
    this.rateSel.innerHTML = speeds
      .map((s) => `<option value="${s}">${String(s).replace(".", ",")}×</option>`)
      .join("");
    const legend = this.el.querySelector(".kp-legend");
    legend.innerHTML = (this.data.shortcuts || [])
      .map(([k, d]) => `<span>${k.split(" / ").map((x) => `<kbd>${esc(x)}</kbd>`).join("")}${esc(d)}</span>`)
      .join("");
  }

  setSource(src) {
    const cur = this.audio.getAttribute("src");
    if (!src) {
      if (cur) { this.audio.pause(); this.audio.removeAttribute("src"); this.audio.load(); }
      return;
    }
    if (cur === src) return; // same recording: never reload
    this.audio.pause();
    this.stopAt = null;
    this.loop = false;
    this.loopBtn.setAttribute("aria-pressed", "false");
    const saved = G.positions[this.storeKey];
    this.pendingRestore = saved && saved.src === src ? saved : null;
    this.audio.setAttribute("src", src);
    this.audio.load();
  }

  restorePosition() {
    const r = this.pendingRestore;
    this.pendingRestore = null;
    if (!r) return;
    if (r.t > 0) this.audio.currentTime = r.t;
    if (r.playing) this.audio.play().catch(() => {});
  }

  remember() {
    if (!this.storeKey || !this.audio.getAttribute("src")) return;
    G.positions[this.storeKey] = {
      src: this.audio.getAttribute("src"),
      t: this.audio.currentTime,
      playing: !this.audio.paused,
    };
  }

  runCommand(cmd) {
    if (!cmd || cmd.seq === undefined || cmd.seq === null) return;
    if (G.commands[this.storeKey] === cmd.seq) return;
    G.commands[this.storeKey] = cmd.seq;
    const s = Number(cmd.start) || 0;
    if (cmd.action === "play_range") {
      const e = Number(cmd.end);
      this.setSelection({ s, e: Number.isFinite(e) ? e : s });
      this.playRange(s, Number.isFinite(e) ? e : null);
    } else if (cmd.action === "seek") {
      this.seek(s, false);
    } else if (cmd.action === "clear_selection") {
      this.setSelection(null);
    }
  }

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
        spans.push(`<span class="${cls}" data-w="${w}"${title}>${esc(tok)}${j < last ? " " : ""}</span>`);
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
  }

  segRange(s, e) {
    // indices of segments overlapping [s, e)
    const out = [];
    for (let i = 0; i < this.segS.length; i++) {
      if (this.segS[i] < e && this.segE[i] > s) out.push(i);
      else if (this.segS[i] === s && this.segE[i] === s && s === e) out.push(i);
    }
    return out;
  }

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
  }

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
  }

  // --------------------------------------------------------------- playback
  play() {
    G.active = this;
    const p = this.audio.play();
    if (p && p.catch) p.catch(() => {});
  }
  toggle() {
    if (this.audio.paused) this.play(); else this.audio.pause();
  }
  seek(t, andPlay, fromText) {
    const d = this.duration();
    t = Math.max(0, d ? Math.min(t, d - 0.01) : t);
    this.stopAt = null;
    // an explicit jump elsewhere (waveform, keys, tags) brings the transcript along again
    if (!fromText) {
      this.userScrollUntil = 0;
      this.followBtn.hidden = true;
    }
    this.audio.currentTime = t;
    this.tick(true);
    if (andPlay) this.play();
  }
  skip(delta) {
    this.seek(this.audio.currentTime + delta, false);
    this.flash(delta < 0 ? "5 s terug" : "5 s vooruit");
  }
  playRange(s, e) {
    this.seek(s, true);
    this.stopAt = e !== null && e > s ? e : null;
  }
  replaySegment() {
    const i = this.curSeg >= 0 ? this.curSeg : lastLE(this.segS, this.audio.currentTime);
    if (i < 0) { this.seek(0, true); return; }
    this.seek(this.segS[i], true);
    this.flash(`Segment ${fmt(this.segS[i])} opnieuw`);
  }
  setRate(r, report) {
    r = Number(r) || 1;
    this.audio.defaultPlaybackRate = r;
    this.audio.playbackRate = r;
    this.rateSel.value = String(r);
    if (report) {
      this.flash(`Snelheid ${String(r).replace(".", ",")}×`);
      this.emit({ type: "rate", value: r });
    }
  }
  stepRate(dir) {
    const speeds = this.data.speeds || [0.5, 0.75, 1, 1.25, 1.5, 2];
    const cur = this.audio.playbackRate;
    let i = speeds.findIndex((s) => Math.abs(s - cur) < 1e-6);
    if (i < 0) i = speeds.indexOf(1);
    const j = Math.max(0, Math.min(speeds.length - 1, i + dir));
    if (j !== i) this.setRate(speeds[j], true);
  }
  toggleLoop() {
    this.loop = !this.loop;
    if (this.loop) {
      if (this.sel && this.sel.e > this.sel.s) {
        this.loopRange = { ...this.sel };
      } else if (this.curSeg >= 0) {
        this.loopRange = { s: this.segS[this.curSeg], e: this.segE[this.curSeg] };
      } else {
        this.loopRange = null;
      }
      this.flash(this.loopRange
        ? `Herhalen: ${fmt(this.loopRange.s)}–${fmt(this.loopRange.e)}`
        : "Herhalen aan: selecteer een passage");
    } else {
      this.flash("Herhalen uit");
    }
    this.loopBtn.setAttribute("aria-pressed", String(this.loop));
  }
  duration() {
    const d = this.audio.duration;
    if (Number.isFinite(d) && d > 0) return d;
    return this.data.duration || (this.data.peaks && this.data.peaks.duration) || 0;
  }

  flash(msg) {
    this.statusEl.textContent = msg;
    clearTimeout(this.flashT);
    this.flashT = setTimeout(() => { this.statusEl.textContent = this.idleStatus(); }, 2200);
  }
  idleStatus() {
    if (this.loop && this.loopRange) return `Herhalen: ${fmt(this.loopRange.s)}–${fmt(this.loopRange.e)}`;
    if (this.sel) return `Selectie ${fmt(this.sel.s)}–${fmt(this.sel.e)}`;
    return "";
  }

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
    const lines = () => (this.data.segments || []).map((sg) => sg.w.map((w) => String(w[2]).trim()).join(" ").toLowerCase());
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
  }

  // --------------------------------------------------------------- in-place correction (#19.7)
  // E (the playing line) or a double click on a line's text turns it into a text field; Enter
  // sends the corrected text with the version shown (the page saves it through the same
  // version-checked service as the Transcript tab), Esc puts the line back unchanged.
  editLine(i) {
    const seg = (this.data.segments || [])[i];
    const row = this.rows && this.rows[i];
    if (!seg || !row || this.mode !== "audio") return;
    const textEl = row.querySelector(".kp-text");
    if (!textEl || row.querySelector(".kp-edit")) return;
    const old = seg.w.map((w) => String(w[2]).trim()).join(" ");
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
  }

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
  }

  // --------------------------------------------------------------- nudging (#19.5)
  // , / . move the start of the selection (or the loop) 0.1 s, < / > its end; the loop plays
  // on with the new bounds, and the page gets the new range once the keys rest.
  nudge(which, delta) {
    const r = this.sel && this.sel.e > this.sel.s ? this.sel : this.loopRange;
    if (!r) { this.flash("Selecteer eerst een passage"); return; }
    const dur = this.audio.duration || this.data.duration || Infinity;
    let s = r.s, e = r.e;
    if (which === "s") s = Math.min(Math.max(0, Math.round((s + delta) * 10) / 10), e - 0.1);
    else e = Math.max(Math.min(dur, Math.round((e + delta) * 10) / 10), s + 0.1);
    this.setSelection({ s, e });
    if (this.loop) this.loopRange = { s, e };
    const t1 = (x) => `${Math.floor(x / 60)}:${(x % 60).toFixed(1).padStart(4, "0")}`;
    this.flash(`Selectie ${t1(s)}–${t1(e)}`);
    clearTimeout(this.nudgeT);
    this.nudgeT = setTimeout(() => this.emitSelect(s, e, "", -1, -1), 400);
  }

  // --------------------------------------------------------------- keyboard tagging (#19.1)
  // T opens a searchable item picker over the selection (or the current segment); + / −
  // set the sign, Enter sends a complete "tag" event that Python saves; Esc closes. The last
  // used items are keys 1–9 (most recent first), each one keystroke.
  tagTarget() {
    if (this.sel && this.sel.e > this.sel.s) return { s: this.sel.s, e: this.sel.e };
    const i = this.curSeg >= 0 ? this.curSeg : lastLE(this.segS, this.audio.currentTime);
    return i >= 0 ? { s: this.segS[i], e: this.segE[i] } : null;
  }
  tagRange(item, pol) {
    const r = this.tagTarget();
    if (!r) return;
    G.recent = [{ item, pol }, ...(G.recent || []).filter((x) => x.item !== item)].slice(0, 9);
    this.flash(`Markering ${item} ${pol === "-" ? "−" : "+"} opslaan…`);
    this.emit({ type: "tag", start: r.s, end: r.e, item, polarity: pol });
  }
  openPicker() {
    const items = this.data.items || [];
    if (!items.length || !this.tagTarget()) return;
    this.closePicker();
    const box = document.createElement("div");
    box.className = "kp-picker";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Markeren");
    box.style.cssText = "position:absolute;z-index:50;left:8px;top:8px;width:min(460px,90%);background:#fff;"
      + "border:1px solid #0f766e;border-radius:6px;box-shadow:0 4px 16px rgba(0,0,0,.2);padding:8px;font-size:14px;";
    const head = document.createElement("div");
    const input = document.createElement("input");
    input.className = "kp-picker-input";
    input.setAttribute("aria-label", "Zoek een checklistitem");
    input.placeholder = "Typ '3.1' of 'samenvat'; + / − bewijs; Enter slaat op";
    input.style.cssText = "width:100%;box-sizing:border-box;padding:4px 6px;font-size:14px;";
    const list = document.createElement("div");
    list.className = "kp-picker-list";
    const r = this.tagTarget();
    let pol = "+", hi = 0, matches = [];
    const render = () => {
      head.textContent = `Markeren ${fmt(r.s)}–${fmt(r.e)} · bewijs ${pol === "-" ? "− negatief" : "+ positief"}`;
      const q = input.value.trim().toLowerCase();
      matches = items.filter(([c, l]) => !q || c.toLowerCase().startsWith(q) || l.toLowerCase().includes(q)).slice(0, 8);
      hi = Math.min(hi, Math.max(0, matches.length - 1));
      list.replaceChildren(...(matches.length ? matches.map(([c, l], i) => {
        const row = document.createElement("div");
        row.className = "kp-picker-row";
        row.textContent = `${c} · ${l.length > 60 ? l.slice(0, 57) + "…" : l}`;
        row.style.cssText = `padding:2px 4px;cursor:pointer;${i === hi ? "background:#ccfbf1;font-weight:600;" : ""}`;
        row.addEventListener("mousedown", (ev) => { ev.preventDefault(); this.closePicker(); this.tagRange(c, pol); });
        return row;
      }) : [Object.assign(document.createElement("div"), { textContent: "Geen resultaten" })]));
    };
    input.addEventListener("input", () => { hi = 0; render(); });
    input.addEventListener("keydown", (ev) => {
      ev.stopPropagation();
      if (ev.key === "+" || ev.key === "-" || ev.key === "−") { ev.preventDefault(); pol = ev.key === "+" ? "+" : "-"; render(); }
      else if (ev.key === "ArrowDown") { ev.preventDefault(); hi = Math.min(hi + 1, matches.length - 1); render(); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); hi = Math.max(hi - 1, 0); render(); }
      else if (ev.key === "Escape") { ev.preventDefault(); this.closePicker(); }
      else if (ev.key === "Enter") {
        ev.preventDefault();
        if (matches[hi]) { const c = matches[hi][0]; this.closePicker(); this.tagRange(c, pol); }
      }
    });
    input.addEventListener("blur", () => setTimeout(() => { if (this.picker === box) this.closePicker(); }, 150));
    box.append(head, input, list);
    this.el.style.position = this.el.style.position || "relative";
    this.el.appendChild(box);
    this.picker = box;
    render();
    input.focus();
  }
  closePicker() {
    if (this.picker) { this.picker.remove(); this.picker = null; }
  }

  emit(ev) {
    ev.time = Math.round(this.audio.currentTime * 1000) / 1000;
    this.setTrigger("event", ev);
  }

  reportTime(force) {
    if (this.mode !== "audio") return;
    const t = Math.round(this.audio.currentTime * 100) / 100;
    const now = performance.now();
    const every = Math.max(0.05, Number(this.data.report_interval) || 1) * 1000;
    if (Math.abs(t - this.lastReportedT) < 0.05) return;
    if (!force && now - this.lastReport < every) return;
    this.lastReport = now;
    this.lastReportedT = t;
    this.setState("time", t);
  }

  // ------------------------------------------------------------ highlighting
  tick(force) {
    const t = this.audio.currentTime || 0;
    if (this.mode === "audio") {
      if (this.stopAt !== null && t >= this.stopAt) {
        this.stopAt = null;
        if (!this.loop) this.audio.pause();
      }
      if (this.loop && this.loopRange && !this.audio.paused && t >= this.loopRange.e) {
        this.audio.currentTime = this.loopRange.s;
      }
    }
    let seg = lastLE(this.segS, t);
    if (seg >= 0 && t > this.segE[seg] + 0.35) {
      // in a gap: keep an overlapping earlier segment (stereo overlap), else none
      let k = seg - 1;
      while (k >= 0 && k > seg - 4 && !(this.segE[k] >= t)) k--;
      seg = k >= 0 && k > seg - 4 && this.segE[k] >= t ? k : -1;
    }
    if (this.mode === "text") seg = -1;
    let word = -1;
    if (seg >= 0 && this.segW1[seg] > this.segW0[seg]) {
      const w = lastLE(this.wS, t, this.segW0[seg], this.segW1[seg] - 1);
      if (w >= 0 && t <= this.wE[w] + 0.2) word = w;
    }
    if (seg !== this.curSeg) {
      if (this.curSeg >= 0 && this.rows[this.curSeg]) this.rows[this.curSeg].classList.remove("kp-cur");
      if (seg >= 0 && this.rows[seg]) {
        this.rows[seg].classList.add("kp-cur");
        if (!this.audio.paused || force) this.follow(seg);
      }
      this.curSeg = seg;
    }
    if (word !== this.curWord) {
      if (this.curWord >= 0 && this.wordEls[this.curWord]) this.wordEls[this.curWord].classList.remove("kp-curw");
      if (word >= 0 && this.wordEls[word]) this.wordEls[word].classList.add("kp-curw");
      this.curWord = word;
    }
    this.nowEl.textContent = fmt(t);
    this.totalEl.textContent = fmt(this.duration());
    this.drawDynamic();
  }

  loopFrame() {
    this.raf = 0;
    if (!this.alive()) return;
    this.tick(false);
    if (!this.audio.paused) this.raf = requestAnimationFrame(() => this.loopFrame());
  }

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
  }

  userScrolled() {
    this.userScrollUntil = performance.now() + FOLLOW_PAUSE_MS;
    if (!this.audio.paused) this.followBtn.hidden = false;
    clearTimeout(this.followT);
    this.followT = setTimeout(() => {
      this.followBtn.hidden = true;
      if (!this.audio.paused && this.curSeg >= 0) this.follow(this.curSeg);
    }, FOLLOW_PAUSE_MS + 50);
  }

  // --------------------------------------------------------------- selection
  setSelection(sel, words) {
    if (this.selWords) {
      for (let w = this.selWords[0]; w <= this.selWords[1]; w++) {
        const el = this.wordEls[w];
        if (el) el.classList.remove("kp-sel");
      }
    }
    this.sel = sel;
    this.selWords = null;
    if (sel) {
      let ws = words;
      if (!ws) {
        const list = this.wordsInRange(sel.s, sel.e);
        ws = list.length ? [list[0], list[list.length - 1]] : null;
      }
      if (ws) {
        this.selWords = ws;
        for (let w = ws[0]; w <= ws[1]; w++) {
          const el = this.wordEls[w];
          if (el) el.classList.add("kp-sel");
        }
      }
      if (this.loop && sel.e > sel.s) this.loopRange = { ...sel };
    }
    this.statusEl.textContent = this.idleStatus();
    this.drawDynamic();
  }

  domRange() {
    const sel = document.getSelection ? document.getSelection() : null;
    if (!sel) return null;
    if (typeof ShadowRoot !== "undefined" && this.root instanceof ShadowRoot) {
      if (sel.getComposedRanges) {
        let rs = null;
        try { rs = sel.getComposedRanges({ shadowRoots: [this.root] }); } catch (e) {
          try { rs = sel.getComposedRanges(this.root); } catch (e2) { rs = null; }
        }
        if (rs && rs.length && !rs[0].collapsed) {
          const r = document.createRange();
          try {
            r.setStart(rs[0].startContainer, rs[0].startOffset);
            r.setEnd(rs[0].endContainer, rs[0].endOffset);
            return r;
          } catch (e) { /* fall through */ }
        }
      }
      if (this.root.getSelection) {
        const s2 = this.root.getSelection();
        if (s2 && s2.rangeCount) return s2.getRangeAt(0);
      }
    }
    return sel.rangeCount ? sel.getRangeAt(0) : null;
  }

  readTextSelection() {
    const r = this.domRange();
    if (!r || r.collapsed) return false;
    const startEl = r.startContainer.nodeType === 1 ? r.startContainer : r.startContainer.parentElement;
    const endEl = r.endContainer.nodeType === 1 ? r.endContainer : r.endContainer.parentElement;
    if (!startEl || !endEl) return false;
    if (!this.transcript.contains(startEl) && !this.transcript.contains(endEl)) return false;
    const rowOf = (el, fallback) => {
      const row = el && el.closest ? el.closest("[data-seg]") : null;
      return row && this.transcript.contains(row) ? Number(row.dataset.seg) : fallback;
    };
    const s0 = rowOf(startEl, 0);
    const s1 = rowOf(endEl, this.rows.length - 1);
    let a = -1;
    let b = -1;
    for (let i = Math.min(s0, s1); i <= Math.max(s0, s1); i++) {
      for (let w = this.segW0[i]; w < this.segW1[i]; w++) {
        const el = this.wordEls[w];
        if (!r.intersectsNode(el)) continue;
        const tn = el.firstChild;
        if (tn && r.endContainer === tn && r.endOffset === 0) continue; // touches only the start
        const tokEnd = tn ? tn.length - (tn.data.endsWith(" ") ? 1 : 0) : 0;
        if (tn && r.startContainer === tn && r.startOffset >= tokEnd) continue; // only its end/space
        if (a < 0) a = w;
        b = w;
      }
    }
    this.clearDomSelection();
    if (a < 0) return false;
    this.selectWords(a, b);
    return true;
  }

  selectWords(a, b) {
    const text = this.words.slice(a, b + 1).map((x) => x[2]).join(" ");
    let s;
    let e;
    if (this.mode === "text") {
      s = this.segS[this.wordSeg[a]];
      e = this.segE[this.wordSeg[b]];
    } else {
      s = this.wS[a];
      e = Math.max(this.wE[b], s);
    }
    this.setSelection({ s, e }, [a, b]);
    this.emitSelect(s, e, text, a, b);
  }

  emitSelect(s, e, text, a, b) {
    const speakers = [];
    if (a >= 0) {
      for (let i = this.wordSeg[a]; i <= this.wordSeg[b]; i++) {
        const sp = (this.data.segments[i] || {}).sp;
        if (sp && !speakers.includes(sp)) speakers.push(sp);
      }
    }
    this.emit({
      type: "select",
      start: Math.round(s * 1000) / 1000,
      end: Math.round(e * 1000) / 1000,
      text,
      speakers,
    });
  }

  clearDomSelection() {
    const sel = document.getSelection ? document.getSelection() : null;
    if (sel && sel.removeAllRanges) sel.removeAllRanges();
  }

  tagClick(id) {
    const t = (this.data.tags || []).find((x) => String(x.id) === String(id));
    if (!t) return;
    this.setSelection({ s: t.s, e: t.e });
    if (this.mode === "audio") this.playRange(t.s, t.e);
    this.emit({ type: "tag_click", id: t.id, start: t.s, end: t.e });
  }

  // ---------------------------------------------------------------- waveform
  layoutTagRows() {
    // greedy lane assignment so overlapping tags stack instead of hiding each other
    const ends = [];
    this.tagRows = (this.data.tags || []).map((t) => {
      let r = ends.findIndex((e) => e <= t.s);
      if (r < 0) { r = ends.length; ends.push(0); }
      ends[r] = t.e;
      return r;
    });
    this.nTagRows = Math.max(1, ends.length);
  }

  geometry() {
    const lanes = this.data.peaks ? this.data.peaks.lanes.length : 1;
    const tagBand = 6 + this.nTagRows * 13;
    const laneH = lanes === 2 ? 46 : 70;
    const axis = 16;
    return { lanes, tagBand, laneH, axis, height: tagBand + lanes * laneH + axis };
  }

  buildPeakLayers() {
    if (this.mode !== "audio") return;
    const g = this.geometry();
    const cssW = Math.max(50, this.waveBox.clientWidth || 600);
    const dpr = window.devicePixelRatio || 1;
    this.canvas.style.height = `${g.height}px`;
    this.canvas.width = Math.round(cssW * dpr);
    this.canvas.height = Math.round(g.height * dpr);
    this.cssW = cssW;
    this.geo = g;
    const mk = (color) => {
      const c = document.createElement("canvas");
      c.width = this.canvas.width;
      c.height = this.canvas.height;
      const ctx = c.getContext("2d");
      ctx.scale(dpr, dpr);
      this.drawPeaks(ctx, color, g, cssW);
      return c;
    };
    this.peakLayers = { base: mk(this.colors.unplayed), played: mk(this.colors.played) };
    this.staticLayer = document.createElement("canvas");
    this.staticLayer.width = this.canvas.width;
    this.staticLayer.height = this.canvas.height;
    const sctx = this.staticLayer.getContext("2d");
    sctx.scale(dpr, dpr);
    this.drawStatic(sctx, g, cssW);
    this.drawDynamic();
  }

  xOf(t) {
    const d = this.duration();
    return d ? (t / d) * this.cssW : 0;
  }
  tOf(x) {
    const d = this.duration();
    return d ? Math.max(0, Math.min(d, (x / this.cssW) * d)) : 0;
  }

  drawPeaks(ctx, color, g, w) {
    const pk = this.data.peaks;
    ctx.fillStyle = color;
    if (!pk) {
      for (let l = 0; l < g.lanes; l++) {
        const mid = g.tagBand + l * g.laneH + g.laneH / 2;
        ctx.fillRect(0, mid - 1, w, 2);
      }
      return;
    }
    const pd = pk.duration || this.duration();
    const d = this.duration() || pd;
    const span = d ? Math.min(1, pd / d) : 1; // peaks may be a bit shorter than the audio
    pk.lanes.forEach((lane, l) => {
      const top = g.tagBand + l * g.laneH;
      const mid = top + g.laneH / 2;
      const half = g.laneH / 2 - 4;
      const n = lane.length;
      if (!n) return;
      const barW = 2;
      const step = 3;
      const cols = Math.floor((w * span) / step);
      for (let c = 0; c < cols; c++) {
        const i0 = Math.floor((c / cols) * n);
        const i1 = Math.max(i0 + 1, Math.floor(((c + 1) / cols) * n));
        let v = 0;
        for (let i = i0; i < i1 && i < n; i++) if (lane[i] > v) v = lane[i];
        const hh = Math.max(0.75, Math.sqrt(v) * half); // sqrt: quiet speech stays visible
        ctx.fillRect(c * step, mid - hh, barW, hh * 2);
      }
    });
  }

  drawStatic(ctx, g, w) {
    const c = this.colors;
    // lane separators + labels
    ctx.fillStyle = c.grid;
    for (let l = 1; l < g.lanes; l++) ctx.fillRect(0, g.tagBand + l * g.laneH, w, 1);
    ctx.fillRect(0, g.tagBand - 1, w, 1);
    // tag tints over the lanes + tag bars in the band
    (this.data.tags || []).forEach((t, k) => {
      const x0 = this.xOf(t.s);
      const x1 = Math.max(x0 + 3, this.xOf(t.e));
      ctx.save();
      ctx.globalAlpha = 0.1;
      ctx.fillStyle = t.color;
      ctx.fillRect(x0, g.tagBand, x1 - x0, g.lanes * g.laneH);
      ctx.restore();
      const y = 3 + this.tagRows[k] * 13;
      ctx.save();
      if (t.pol === "-") {
        ctx.fillStyle = this.dark ? "#1f2937" : "#ffffff";
        ctx.fillRect(x0, y, x1 - x0, 10);
        ctx.beginPath();
        ctx.rect(x0, y, x1 - x0, 10);
        ctx.clip();
        ctx.strokeStyle = t.color;
        ctx.lineWidth = 1.5;
        for (let hx = x0 - 12; hx < x1 + 12; hx += 5) {
          ctx.beginPath();
          ctx.moveTo(hx, y + 10);
          ctx.lineTo(hx + 10, y);
          ctx.stroke();
        }
        ctx.restore();
        ctx.save();
        ctx.strokeStyle = "#dc2626";
        ctx.lineWidth = 1.5;
        ctx.strokeRect(x0 + 0.75, y + 0.75, x1 - x0 - 1.5, 8.5);
      } else {
        ctx.fillStyle = t.color;
        ctx.globalAlpha = 0.9;
        ctx.fillRect(x0, y, x1 - x0, 10);
      }
      ctx.restore();
      if (x1 - x0 > 34) {
        ctx.save();
        ctx.font = "600 9px system-ui, sans-serif";
        ctx.fillStyle = t.pol === "-" ? (this.dark ? "#fff" : "#111827") : "#ffffff";
        ctx.textBaseline = "middle";
        ctx.beginPath();
        ctx.rect(x0, y, x1 - x0, 10);
        ctx.clip();
        const label = `${t.item} ${t.pol === "-" ? "−" : "+"}`;
        if (t.pol === "-") {
          const tw = ctx.measureText(label).width;
          ctx.fillStyle = this.dark ? "#1f2937" : "#ffffff";
          ctx.fillRect(x0 + 2, y + 1, tw + 4, 8);
          ctx.fillStyle = this.dark ? "#fff" : "#111827";
        }
        ctx.fillText(label, x0 + 4, y + 5.5);
        ctx.restore();
      }
    });
    // time axis
    const d = this.duration();
    if (d > 0) {
      const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800];
      const step = steps.find((s) => (w / (d / s)) >= 70) || 3600;
      ctx.font = "10px system-ui, sans-serif";
      ctx.fillStyle = c.axis;
      ctx.textBaseline = "middle";
      const y = g.tagBand + g.lanes * g.laneH + g.axis / 2;
      for (let s = 0; s <= d; s += step) {
        const x = this.xOf(s);
        ctx.fillRect(x, y - 8, 1, 3);
        if (x < w - 24) ctx.fillText(fmt(s), x + 3, y + 1);
      }
    }
  }

  drawDynamic() {
    if (this.mode !== "audio" || !this.peakLayers || !this.geo) return;
    const ctx = this.canvas.getContext("2d");
    const dpr = window.devicePixelRatio || 1;
    const g = this.geo;
    const W = this.canvas.width;
    const H = this.canvas.height;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, W, H);
    // selection / loop range behind the bars
    const range = this.drag && this.drag.moved ? this.drag : this.sel;
    if (range) {
      const x0 = this.xOf(Math.min(range.s, range.e)) * dpr;
      const x1 = this.xOf(Math.max(range.s, range.e)) * dpr;
      ctx.fillStyle = "rgba(15,118,110,0.16)";
      ctx.fillRect(x0, g.tagBand * dpr, Math.max(2, x1 - x0), g.lanes * g.laneH * dpr);
      ctx.fillStyle = "rgba(15,118,110,0.75)";
      ctx.fillRect(x0, g.tagBand * dpr, 1.5 * dpr, g.lanes * g.laneH * dpr);
      ctx.fillRect(x1, g.tagBand * dpr, 1.5 * dpr, g.lanes * g.laneH * dpr);
    }
    ctx.drawImage(this.staticLayer, 0, 0);
    ctx.drawImage(this.peakLayers.base, 0, 0);
    const px = this.xOf(this.audio.currentTime || 0) * dpr;
    if (px > 0) ctx.drawImage(this.peakLayers.played, 0, 0, px, H, 0, 0, px, H);
    // hover line + time
    if (this.hoverX !== null && !(this.drag && this.drag.moved)) {
      const hx = this.hoverX * dpr;
      ctx.fillStyle = this.colors.mid;
      ctx.fillRect(hx, g.tagBand * dpr, dpr, g.lanes * g.laneH * dpr);
    }
    // playhead
    ctx.fillStyle = this.colors.head;
    ctx.fillRect(Math.max(0, px - dpr), (g.tagBand - 2) * dpr, 2 * dpr, (g.lanes * g.laneH + 4) * dpr);
    // lane labels on top
    const labels = this.data.peaks ? this.data.peaks.labels : [];
    ctx.save();
    ctx.scale(dpr, dpr);
    ctx.font = "600 10px system-ui, sans-serif";
    ctx.textBaseline = "top";
    labels.forEach((lab, l) => {
      if (!lab) return;
      const y = g.tagBand + l * g.laneH + 4;
      const tw = ctx.measureText(lab).width;
      ctx.fillStyle = this.dark ? "rgba(17,24,39,0.75)" : "rgba(255,255,255,0.85)";
      ctx.fillRect(4, y - 1, tw + 8, 13);
      ctx.fillStyle = this.colors.label;
      ctx.fillText(lab, 8, y + 1);
    });
    if (this.hoverX !== null) {
      const t = this.tOf(this.hoverX);
      const lab = fmt(t);
      ctx.font = "10px system-ui, sans-serif";
      const tw = ctx.measureText(lab).width;
      const x = Math.min(this.cssW - tw - 8, this.hoverX + 5);
      const y = g.tagBand + g.lanes * g.laneH - 15;
      ctx.fillStyle = this.dark ? "rgba(17,24,39,0.85)" : "rgba(255,255,255,0.9)";
      ctx.fillRect(x - 2, y - 1, tw + 6, 13);
      ctx.fillStyle = this.colors.label;
      ctx.fillText(lab, x + 1, y + 1);
    }
    ctx.restore();
  }

  tagAt(x, y) {
    const g = this.geo;
    if (!g || y > g.tagBand) return null;
    const row = Math.floor((y - 3) / 13);
    const tags = this.data.tags || [];
    for (let k = tags.length - 1; k >= 0; k--) {
      const t = tags[k];
      if (this.tagRows[k] !== row) continue;
      const x0 = this.xOf(t.s) - 2;
      const x1 = Math.max(this.xOf(t.s) + 3, this.xOf(t.e)) + 2;
      if (x >= x0 && x <= x1) return t;
    }
    return null;
  }

  // ------------------------------------------------------------------ events
  bindDom() {
    const opt = { signal: this.ac.signal };
    const a = this.audio;
    a.addEventListener("play", () => {
      this.el.classList.add("kp-playing");
      this.playLabel.textContent = "Pauze";
      if (!this.raf) this.raf = requestAnimationFrame(() => this.loopFrame());
    }, opt);
    a.addEventListener("pause", () => {
      this.el.classList.remove("kp-playing");
      this.playLabel.textContent = "Afspelen";
      this.tick(false);
      this.remember();
      this.reportTime(true);
    }, opt);
    a.addEventListener("timeupdate", () => {
      this.remember();
      this.reportTime(false);
      this.tick(false); // also keeps loop/stop-at working in a background tab (no rAF there)
    }, opt);
    a.addEventListener("seeked", () => { this.tick(true); this.remember(); this.reportTime(true); }, opt);
    a.addEventListener("loadedmetadata", () => {
      this.restorePosition();
      this.buildPeakLayers();
      this.tick(true);
    }, opt);
    a.addEventListener("ratechange", () => { this.rateSel.value = String(a.playbackRate); }, opt);

    this.el.querySelector(".kp-controls").addEventListener("click", (e) => {
      const btn = e.target.closest("button[data-act]");
      if (!btn) return;
      G.active = this;
      const act = btn.dataset.act;
      if (act === "toggle") this.toggle();
      else if (act === "back") this.skip(-5);
      else if (act === "fwd") this.skip(5);
      else if (act === "replay") this.replaySegment();
      else if (act === "loop") this.toggleLoop();
      btn.blur(); // keep Space for the player, not for re-clicking the focused button
    }, opt);
    this.rateSel.addEventListener("change", () => {
      this.setRate(Number(this.rateSel.value), true);
      this.rateSel.blur();
    }, opt);

    // transcript: click = seek (audio), drag = select
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

    // waveform: click = seek (or play a tag), drag = select
    const cv = this.canvas;
    const pos = (e) => {
      const r = cv.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    cv.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      G.active = this;
      const p = pos(e);
      this.drag = { x0: p.x, y0: p.y, s: this.tOf(p.x), e: this.tOf(p.x), moved: false };
      cv.setPointerCapture(e.pointerId);
      e.preventDefault();
    }, opt);
    cv.addEventListener("pointermove", (e) => {
      const p = pos(e);
      this.hoverX = Math.max(0, Math.min(this.cssW || 0, p.x));
      const tag = this.tagAt(p.x, p.y);
      cv.style.cursor = tag ? "pointer" : "crosshair";
      cv.title = tag ? `${tag.item}${tag.label ? " " + tag.label : ""} (${tag.pol === "-" ? "negatief" : "positief"})${tag.note ? ": " + tag.note : ""}` : "";
      if (this.drag) {
        if (Math.abs(p.x - this.drag.x0) > 4) this.drag.moved = true;
        this.drag.e = this.tOf(p.x);
      }
      this.drawDynamic();
    }, opt);
    cv.addEventListener("pointerleave", () => { this.hoverX = null; this.drawDynamic(); }, opt);
    const finish = (e) => {
      const d = this.drag;
      this.drag = null;
      if (!d) return;
      if (d.moved) {
        const s = Math.min(d.s, d.e);
        const en = Math.max(d.s, d.e);
        const ws = this.wordsInRange(s, en);
        const text = ws.map((w) => this.words[w][2]).join(" ");
        this.setSelection({ s, e: en }, ws.length ? [ws[0], ws[ws.length - 1]] : null);
        this.emitSelect(s, en, text, ws.length ? ws[0] : -1, ws.length ? ws[ws.length - 1] : -1);
      } else if (e.type === "pointerup") {
        const tag = this.tagAt(d.x0, d.y0);
        if (tag) this.tagClick(tag.id);
        else this.seek(d.s, false);
      }
      this.drawDynamic();
    };
    cv.addEventListener("pointerup", finish, opt);
    cv.addEventListener("pointercancel", finish, opt);

    if (typeof ResizeObserver !== "undefined") {
      let last = 0;
      this.ro = new ResizeObserver(() => {
        const w = this.waveBox.clientWidth;
        if (w && Math.abs(w - last) > 1) { last = w; this.buildPeakLayers(); }
      });
      this.ro.observe(this.waveBox);
    }
  }

  onKey(e) {
    if (this.mode !== "audio" || !this.audio.getAttribute("src")) return;
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (isTypingTarget(e)) return;
    const k = e.key;
    let handled = true;
    if (e.repeat && !["j", "J", "l", "L", "ArrowLeft", "ArrowRight"].includes(k)) {
      // holding Space/K/R/O must not toggle on and off; only skipping repeats
      if ([" ", "k", "K", "r", "R", "o", "O", "[", "]"].includes(k)) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
      return;
    }
    if (k === "t" || k === "T") this.openPicker();
    else if (k === "n" || k === "N") this.nextLowWord();
    else if (k === "/" || k === "f" || k === "F") this.openSearch();
    else if ((k === "e" || k === "E") && this.mode === "audio") {
      const i = this.curSeg >= 0 ? this.curSeg : lastLE(this.segS, this.audio.currentTime);
      if (i >= 0) this.editLine(i);
    }
    else if (k === "," || k === ".") this.nudge("s", k === "," ? -0.1 : 0.1);
    else if (k === "<" || k === ">") this.nudge("e", k === "<" ? -0.1 : 0.1);
    else if (/^[1-9]$/.test(k) && G.recent && G.recent[Number(k) - 1]) {
      const r = G.recent[Number(k) - 1];
      this.tagRange(r.item, r.pol);
    } else if (k === " " || k === "k" || k === "K") this.toggle();
    else if (k === "j" || k === "J" || k === "ArrowLeft") this.skip(-5);
    else if (k === "l" || k === "L" || k === "ArrowRight") this.skip(5);
    else if (k === "r" || k === "R") this.replaySegment();
    else if (k === "o" || k === "O") this.toggleLoop();
    else if (k === "[") this.stepRate(-1);
    else if (k === "]") this.stepRate(1);
    else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopImmediatePropagation();
      G.swallowKeyUp = k;
    }
  }

  destroy() {
    this.remember();
    this.ac.abort();
    if (this.ro) this.ro.disconnect();
    if (this.raf) cancelAnimationFrame(this.raf);
    clearTimeout(this.flashT);
    clearTimeout(this.followT);
    clearTimeout(this.nudgeT);
    this.closePicker();
    this.audio.pause();
    G.players.delete(this);
    if (G.active === this) G.active = null;
  }
}

export default function mount(component) {
  const { parentElement, data, setStateValue, setTriggerValue } = component;
  let player = parentElement.__ksfPlayer;
  if (!player || !player.alive()) {
    player = new Player(parentElement);
    parentElement.__ksfPlayer = player;
  }
  player.bind(setStateValue, setTriggerValue);
  let payload = data || {};
  if (typeof payload === "string") {
    // Python sends the payload pre-serialised; parse once per change
    if (player.rawData !== payload) {
      player.rawData = payload;
      player.parsedData = JSON.parse(payload);
    }
    payload = player.parsedData;
  }
  player.update(payload);
  return () => {
    player.destroy();
    if (parentElement.__ksfPlayer === player) delete parentElement.__ksfPlayer;
  };
}
