// KSF review player: audio + waveform + transcript, kept in sync.
// Streamlit components v2 module (runs in the app page, inside the component's shadow root).
// No dependencies. One Player per mounted element: Streamlit calls the default export again
// whenever `data` changes, and we only apply what changed (never reload the audio).
// This file is the core (state, data, lifecycle, the default export); transport.js,
// transcript.js, waveform.js, selection.js and keys.js add the Player's methods by topic.
// Python joins them into one module in this order (ksf_review/ui/player/__init__.py).

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

// a passage's time as the tag form shows and stores it: m:ss.s, the tenth rounded half to even
// on the same double (domain.tags.format_clock, Python's round), never floored
function clock(sec) {
  const v = Math.max(0, Number(sec) || 0) * 10;
  let tenths = Math.floor(v);
  const frac = v - tenths;
  if (frac > 0.5 || (frac === 0.5 && tenths % 2 === 1)) tenths += 1;
  const whole = Math.floor(tenths / 10);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = `${String(whole % 60).padStart(2, "0")}.${tenths % 10}`;
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

// a time as the page receives it (select and tag events): whole milliseconds
function ms(t) {
  return Math.round(t * 1000) / 1000;
}

// words [start, end, word, p, glued?] as the line reads: a space before each word unless it is
// written against the previous one (",513" after "2": the stored line says "2,513")
function joinWords(ws) {
  return ws.map((w, k) => (k && !w[4] ? " " : "") + String(w[2]).trim()).join("");
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
    this.data = this.withFedTags(data || {});
    this.mode = this.data.mode === "text" ? "text" : "audio";
    this.storeKey = String(this.data.store_key || "");
    this.el.classList.toggle("kp-text-mode", this.mode === "text");
    this.el.classList.toggle("kp-audio-mode", this.mode === "audio");
    this.transcript.style.maxHeight = `${this.data.transcript_height || 460}px`;
    this.readTheme();

    if (!this.rateSel.options.length) this.buildStatic();
    const keys = JSON.stringify(this.data.shortcuts || []);
    if (keys !== this.legendKeys) { // fewer keys once the gesprek is read-only (finalised, submitted)
      this.legendKeys = keys;
      this.buildLegend();
    }

    if (this.data.sig !== this.sig) {
      this.buildTranscript();
      this.sig = this.data.sig;
      this.curSeg = -1;
      this.curWord = -1;
      this.setSelection(null);
    }
    this.applyTags();
    this.layoutTagRows();
    if (Array.isArray(this.data.recent) && this.data.recent !== this.appliedRecent) {
      // the user's recent items as the server keeps them (keys 1-9 work again after a reload)
      this.appliedRecent = this.data.recent;
      G.recent = this.data.recent.map(([item, pol]) => ({ item, pol }));
    }

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

  // The tags to show: the player's own data, or the tag feed's list if that is newer. A tag
  // save or an accept reruns only the feed (render_tag_marks), not the player's 1,000 segments.
  withFedTags(data) {
    const fed = G.tagFeed && G.tagFeed[String(data.store_key || "")];
    if (!fed || fed.seq <= (data.tags_seq || 0)) return data;
    return { ...data, tags: fed.tags, tags_seq: fed.seq };
  }

  feedTags() {
    const next = this.withFedTags(this.data);
    if (next === this.data) return;
    this.data = next;
    this.applyTags();
    this.layoutTagRows();
    if (this.mode === "audio") this.buildPeakLayers();
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
  }

  buildLegend() {
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

  emit(ev) {
    ev.time = Math.round(this.audio.currentTime * 1000) / 1000;
    this.setTrigger("event", ev);
  }

  // ------------------------------------------------------------------ events
  bindDom() {
    const opt = { signal: this.ac.signal };
    this.bindAudio(opt); // transport.js
    this.bindControls(opt); // transport.js
    this.bindTranscript(opt); // transcript.js
    this.bindWave(opt); // waveform.js
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
