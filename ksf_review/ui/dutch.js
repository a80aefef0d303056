// Streamlit's fixed English texts for screen readers and tooltips (aria-label, title,
// placeholder, aria-valuetext) and a few instructions, in Dutch. Streamlit 1.67 has no option
// for them; this module runs in the app page (a components-v2 element drawn by ui/dutch.py) and
// rewrites them whenever Streamlit draws them, by exact text only (user text is never touched:
// markdown, inputs, text areas and the player are skipped). The Dutch texts never contain a
// label of the app's own (an accessible name is found by part of its text). Tested by
// tests/e2e/test_dutch_interface.py, which fails when an upgrade brings new English.

const EXACT = {
  // page frame
  "Sidebar": "Zijbalk",
  "Collapse sidebar": "Zijbalk inklappen",
  "Expand sidebar": "Zijbalk uitklappen",
  "App pages": "Pagina's",
  "Main menu": "Hoofdmenu",
  "Navigate to home page": "Naar de startpagina",
  "Link to heading": "Link naar deze kop",
  "Running...": "Bezig …",
  "Stop script": "Stoppen",
  "Notifications": "Meldingen",
  "Close": "Sluiten",
  "Scroll tabs left": "Tabs naar links",
  "Scroll tabs right": "Tabs naar rechts",
  "Rerun": "Opnieuw laden",
  "Settings": "Instellingen",
  "Print": "Afdrukken",
  "About": "Over",
  "Record screen": "Scherm opnemen",
  "Stop recording": "Opname stoppen",
  "Made with Streamlit": "Gemaakt met Streamlit",
  // selectbox, multiselect
  "Open": "Openen",
  "Choose options": "Kies opties",
  "Choose an option": "Kies een optie",
  "Select...": "Kies …",
  "No results": "Geen resultaten",
  "No options to select": "Geen opties",
  "Select all": "Alles selecteren",
  "Clear all": "Alles wissen",
  "Clear value": "Wissen",
  "Selected values": "Gekozen waarden",
  // number, date, text and password inputs
  "Increment": "Hoger",
  "Decrement": "Lager",
  "Choose date": "Kies een datum",
  "Choose date range": "Kies een periode",
  "Previous": "Vorige",
  "Next": "Volgende",
  "month": "maand",
  "year": "jaar",
  "Previous month": "Vorige maand",
  "Next month": "Volgende maand",
  "Clear date": "Datum wissen",
  "Clear dates": "Datums wissen",
  "Calendar": "Kalender",
  "Empty": "Leeg",
  "Show password": "Tekens tonen", // not "Wachtwoord …": get_by_label("Wachtwoord") would find two
  "Hide password": "Tekens verbergen",
  "Press Enter to apply": "Druk op Enter om toe te passen",
  "Press ⌘+Enter to apply": "Druk op ⌘+Enter om toe te passen",
  "Press Ctrl+Enter to apply": "Druk op Ctrl+Enter om toe te passen",
  "Press Enter to submit form": "Druk op Enter om het formulier te versturen",
  // file uploader
  "file upload": "Bestand uploaden",
  "Drag and drop file here": "Sleep het bestand hierheen",
  "Drag and drop files here": "Sleep de bestanden hierheen",
  "Browse files": "Bestanden kiezen",
  "Upload": "Bestand kiezen",
  "Add files": "Meer bestanden kiezen", // the + next to the chosen files (not "… toevoegen": the forms' button)
  "Add file": "Ander bestand kiezen",
  // dataframe / data editor toolbar and search
  "Show/hide columns": "Kolommen tonen/verbergen",
  "Download as CSV": "Downloaden als CSV",
  "Search": "Zoeken in de tabel", // a toolbar button; the app has its own "Zoeken" fields
  "Fullscreen": "Volledig scherm",
  "Close fullscreen": "Volledig scherm sluiten",
  "Exit fullscreen": "Volledig scherm sluiten",
  "Close Search": "Zoeken in de tabel sluiten",
  "Previous Result": "Vorige treffer",
  "Next Result": "Volgende treffer",
  "Add row": "Rij toevoegen",
  "Delete row(s)": "Rij(en) verwijderen",
  "Clear selection": "Selectie in de tabel opheffen", // the app has its own "Selectie wissen"
  "Dataframe column menu": "Kolommenu",
  "Copy column name": "Kolomnaam kopiëren",
  "Copy to clipboard": "Kopiëren",
  "Copy version to clipboard": "Versie kopiëren",
  "Error:": "Fout:", // before the message on a refused file (the uploader's alert)
};

const PATTERNS = [
  [/^Help for (.+)$/s, "Uitleg bij $1"],
  [/^Made with Streamlit (.+)$/s, "Gemaakt met Streamlit $1"],
  [/^Choose date, (.+)$/s, "Kies een datum, $1"],
  [/^day, (.+)$/s, "dag, $1"],
  [/^month, (.+)$/s, "maand, $1"],
  [/^year, (.+)$/s, "jaar, $1"],
  [/^Remove (.+)$/s, "Verwijder $1"], // not "… verwijderen": the app's own buttons say that
  [/^Limit (\d+) ?MB per file(.*)$/s, "Max. $1 MB per bestand$2"],
  [/^(\d+)MB per file(.*)$/s, "Max. $1 MB per bestand$2"],
  // a file of a type the uploader does not take (its chip's tooltip, and for screen readers)
  // ("Error: " is a text node of its own there, see CHROME)
  [/^(.+) files are not allowed\.$/s, "Dit bestandstype ($1) is hier niet toegestaan."],
  // a file above server.maxUploadSize: the browser keeps it, the server never receives it
  [/^File must be (.+) or smaller\.$/s, "Dit bestand is te groot: hoogstens $1."],
];

const ATTRS = ["aria-label", "title", "placeholder", "aria-valuetext", "aria-description", "alt"];
const SKIP = '[data-testid="stMarkdownContainer"], textarea, input, [contenteditable="true"]';
const CHROME =
  '[data-testid="stMainMenuPopover"], [data-testid="stTooltipContent"], [role="menu"], [role="tooltip"], [data-testid="stFileUploader"] [role="alert"]';

function dutch(value) {
  const v = value.trim();
  if (Object.prototype.hasOwnProperty.call(EXACT, v)) return EXACT[v];
  for (const [re, to] of PATTERNS) if (re.test(v)) return v.replace(re, to);
  return null;
}

function fixAttrs(el) {
  for (const name of ATTRS) {
    const v = el.getAttribute(name);
    if (!v) continue;
    if (name === "aria-label" && / icon$/.test(v) && el.tagName === "SPAN") {
      // a Material icon's English name ("folder_zip icon"): decoration next to Dutch text
      el.removeAttribute(name);
      el.setAttribute("aria-hidden", "true");
      continue;
    }
    const d = dutch(v);
    if (d !== null && d !== v) el.setAttribute(name, d);
  }
}

function fixText(node) {
  const parent = node.parentElement;
  if (!parent || parent.closest(SKIP)) return;
  const v = node.nodeValue.trim();
  const d = dutch(v);
  if (d === null) return;
  // one word ("Print", "Search") could be a title someone typed: only in Streamlit's menus and tooltips
  if (!/\s/.test(v) && !parent.closest(CHROME)) return;
  node.nodeValue = node.nodeValue.replace(v, d);
}

function fixTree(root) {
  if (root.nodeType === Node.TEXT_NODE) { fixText(root); return; }
  if (root.nodeType !== Node.ELEMENT_NODE) return;
  fixAttrs(root);
  for (const el of root.querySelectorAll("[aria-label], [title], [placeholder], [aria-valuetext], [aria-description], [alt]")) fixAttrs(el);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) fixText(walker.currentNode);
}

function install() {
  if (window.__ksfDutch) return;
  window.__ksfDutch = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") fixAttrs(r.target);
      else if (r.type === "characterData") fixText(r.target);
      else for (const n of r.addedNodes) fixTree(n);
    }
  });
  window.__ksfDutch.observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
  });
  fixTree(document.body);
}

export default function mount() {
  install();
}
