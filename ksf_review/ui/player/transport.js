// Transport: play/pause, seek, skip, speed, the loop and the playback clock (tick) that
// drives the highlighting and the time reports.

Object.assign(Player.prototype, {
  // --------------------------------------------------------------- playback
  play() {
    G.active = this;
    const p = this.audio.play();
    if (p && p.catch) p.catch(() => {});
  },

  toggle() {
    if (this.audio.paused) this.play(); else this.audio.pause();
  },

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
  },

  skip(delta) {
    this.seek(this.audio.currentTime + delta, false);
    this.flash(delta < 0 ? "5 s terug" : "5 s vooruit");
  },

  playRange(s, e) {
    this.seek(s, true);
    this.stopAt = e !== null && e > s ? e : null;
  },

  replaySegment() {
    const i = this.curSeg >= 0 ? this.curSeg : lastLE(this.segS, this.audio.currentTime);
    if (i < 0) { this.seek(0, true); return; }
    this.seek(this.segS[i], true);
    this.flash(`Segment ${fmt(this.segS[i])} opnieuw`);
  },

  setRate(r, report) {
    r = Number(r) || 1;
    this.audio.defaultPlaybackRate = r;
    this.audio.playbackRate = r;
    this.rateSel.value = String(r);
    if (report) {
      this.flash(`Snelheid ${String(r).replace(".", ",")}×`);
      this.emit({ type: "rate", value: r });
    }
  },

  stepRate(dir) {
    const speeds = this.data.speeds || [0.5, 0.75, 1, 1.25, 1.5, 2];
    const cur = this.audio.playbackRate;
    let i = speeds.findIndex((s) => Math.abs(s - cur) < 1e-6);
    if (i < 0) i = speeds.indexOf(1);
    const j = Math.max(0, Math.min(speeds.length - 1, i + dir));
    if (j !== i) this.setRate(speeds[j], true);
  },

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
        ? `Herhalen: ${clock(this.loopRange.s)}–${clock(this.loopRange.e)}`
        : "Herhalen aan: selecteer een passage");
    } else {
      this.flash("Herhalen uit");
    }
    this.loopBtn.setAttribute("aria-pressed", String(this.loop));
  },

  duration() {
    const d = this.audio.duration;
    if (Number.isFinite(d) && d > 0) return d;
    return this.data.duration || (this.data.peaks && this.data.peaks.duration) || 0;
  },

  flash(msg) {
    this.statusEl.textContent = msg;
    clearTimeout(this.flashT);
    this.flashT = setTimeout(() => { this.statusEl.textContent = this.idleStatus(); }, 2200);
  },

  idleStatus() {
    if (this.loop && this.loopRange) return `Herhalen: ${clock(this.loopRange.s)}–${clock(this.loopRange.e)}`;
    if (this.sel) return `Selectie ${clock(this.sel.s)}–${clock(this.sel.e)}`; // as the tag form will say
    return "";
  },

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
  },

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
  },

  loopFrame() {
    this.raf = 0;
    if (!this.alive()) return;
    this.tick(false);
    if (!this.audio.paused) this.raf = requestAnimationFrame(() => this.loopFrame());
  },

  // the audio element's events: play state, position reports, the clock
  bindAudio(opt) {
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
  },

  // the toolbar's buttons and the speed menu
  bindControls(opt) {
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
  },
});
