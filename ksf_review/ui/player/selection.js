// Selection: words in the transcript or a range on the waveform, nudging its bounds, and
// tagging it from the keyboard (the item picker, recent items).

Object.assign(Player.prototype, {
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
  },

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
  },

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
  },

  selectWords(a, b) {
    const text = joinWords(this.words.slice(a, b + 1));
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
  },

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
      start: ms(s),
      end: ms(e),
      text,
      speakers,
    });
  },

  clearDomSelection() {
    const sel = document.getSelection ? document.getSelection() : null;
    if (sel && sel.removeAllRanges) sel.removeAllRanges();
  },

  tagClick(id) {
    const t = (this.data.tags || []).find((x) => String(x.id) === String(id));
    if (!t) return;
    this.setSelection({ s: t.s, e: t.e });
    if (this.mode === "audio") this.playRange(t.s, t.e);
    this.emit({ type: "tag_click", id: t.id, start: t.s, end: t.e });
  },

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
    this.flash(`Selectie ${clock(s)}–${clock(e)}`);
    clearTimeout(this.nudgeT);
    this.nudgeT = setTimeout(() => this.emitSelect(s, e, "", -1, -1), 400);
  },

  // --------------------------------------------------------------- keyboard tagging (#19.1)
  // T opens a searchable item picker over the selection (or the current segment); + / −
  // set the sign, Enter sends a complete "tag" event that Python saves; Esc closes. The last
  // used items are keys 1–9 (most recent first), each one keystroke.
  tagTarget() {
    if (this.sel && this.sel.e > this.sel.s) return { s: this.sel.s, e: this.sel.e };
    const i = this.curSeg >= 0 ? this.curSeg : lastLE(this.segS, this.audio.currentTime);
    return i >= 0 ? { s: this.segS[i], e: this.segE[i] } : null;
  },

  tagRange(item, pol) {
    if (this.data.can_tag === false) return; // read-only: nothing to save
    const r = this.tagTarget();
    if (!r) return;
    G.recent = [{ item, pol }, ...(G.recent || []).filter((x) => x.item !== item)].slice(0, 9);
    this.flash(`Markering ${item} ${pol === "-" ? "−" : "+"} opslaan…`);
    this.emit({ type: "tag", start: ms(r.s), end: ms(r.e), item, polarity: pol }); // stored as the label said
  },

  openPicker() {
    if (this.data.can_tag === false) return;
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
    input.setAttribute("aria-label", "Zoek een toetsterm");
    input.placeholder = "Typ '3.1' of 'samenvat'; + / − bewijs; Enter slaat op";
    input.style.cssText = "width:100%;box-sizing:border-box;padding:4px 6px;font-size:14px;";
    const list = document.createElement("div");
    list.className = "kp-picker-list";
    const r = this.tagTarget();
    let pol = "+", hi = 0, matches = [];
    const render = () => {
      head.textContent = `Markeren ${clock(r.s)}–${clock(r.e)} · bewijs ${pol === "-" ? "− negatief" : "+ positief"}`;
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
  },

  closePicker() {
    if (this.picker) { this.picker.remove(); this.picker = null; }
  },
});
