// Keys: the window listeners (capture phase, before Streamlit's own hotkeys) and the
// player's shortcuts.

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

Object.assign(Player.prototype, {
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
  },
});
