/*
 * The task pane: runs the Validasi script (results sheet, marks, summary), then lists the
 * findings; a click on one goes to its cell. Part of kinerja (MIT).
 */
(function (root) {
  "use strict";

  function element(id) {
    return root.document.getElementById(id);
  }

  function show(findings) {
    const words = kinerja.words();
    const list = element("findings");
    list.textContent = "";
    if (findings.error) {
      element("summary").textContent = findings.error.message + "\n" + words.fix + ": " + findings.error.fix;
      return;
    }
    element("summary").textContent = findings.summary;
    element("note").textContent = findings.not_checked;
    element("hint").textContent = findings.findings.length ? words.click : words.none;
    for (const finding of findings.findings) {
      const item = root.document.createElement("li");
      item.className = finding.level;
      const head = root.document.createElement("div");
      const level = root.document.createElement("span");
      level.className = "level";
      level.textContent = finding.level;
      const where = root.document.createElement("span");
      where.className = "where";
      where.textContent = " " + finding.sheet + "!" + finding.cell + " ";
      head.append(level, where, root.document.createTextNode(finding.message));
      const fix = root.document.createElement("div");
      fix.className = "fix";
      fix.textContent = finding.fix;
      item.append(head, fix);
      if (finding.cell) {
        item.addEventListener("click", () => kinerja.goTo(finding.sheet, finding.cell));
      }
      list.appendChild(item);
    }
  }

  async function validate() {
    const words = kinerja.words();
    const button = element("validate");
    button.disabled = true;
    element("summary").textContent = words.checking;
    try {
      // The summary box of the Validasi script is shown here, in the pane, not as a dialog.
      const findings = await kinerja.runScript("validasi", { findings: true, alert: async () => null });
      show(findings || { findings: [] });
    } catch (error) {
      element("summary").textContent = words.failed.replace("$detail", String(error.message || error));
    } finally {
      button.disabled = false;
    }
  }

  Office.onReady(() => {
    element("validate").addEventListener("click", validate);
    validate();
  });
})(window);
