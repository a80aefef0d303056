// Waveform: peaks, tag lanes, the playhead and the selection drawn on the canvas.

Object.assign(Player.prototype, {
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
  },

  geometry() {
    const lanes = this.data.peaks ? this.data.peaks.lanes.length : 1;
    const tagBand = 6 + this.nTagRows * 13;
    const laneH = lanes === 2 ? 46 : 70;
    const axis = 16;
    return { lanes, tagBand, laneH, axis, height: tagBand + lanes * laneH + axis };
  },

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
  },

  xOf(t) {
    const d = this.duration();
    return d ? (t / d) * this.cssW : 0;
  },

  tOf(x) {
    const d = this.duration();
    return d ? Math.max(0, Math.min(d, (x / this.cssW) * d)) : 0;
  },

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
  },

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
  },

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
      const lab = clock(ms(t)); // where a drag from here starts, as its selection will say
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
  },

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
  },

  // waveform: click = seek (or play a tag), drag = select; redraw on resize
  bindWave(opt) {
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
        const s = ms(Math.min(d.s, d.e)); // the selection is what the page gets: its label says what the form will
        const en = ms(Math.max(d.s, d.e));
        const ws = this.wordsInRange(s, en);
        const text = joinWords(ws.map((w) => this.words[w]));
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
  },
});
