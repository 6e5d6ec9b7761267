/*
 * kinerja's Office.js client for its xlwings Server scripts (MIT, part of kinerja).
 *
 * Written for this add-in from the payload and action formats documented in
 * docs/xlwings-notes.md (xlwings 0.37.8): it reads the open workbook into the JSON that
 * xlwings.Book(json=...) takes, posts it to /xlwings/custom-scripts-call/<script>, and
 * plays the actions the script answers. It plays only the actions kinerja's scripts
 * emit, and refuses any other, so nothing is silently dropped.
 *
 * Runs in the task pane (taskpane.html) and in the ribbon's function file (commands.html).
 */
(function (root) {
  "use strict";

  const XLWINGS_VERSION = "__XLWINGS_VERSION__";
  const EXCEL_1970 = 25569; // the serial number of 1970-01-01 in the 1900 date system

  function words() {
    return root.KINERJA_WORDS || {};
  }

  function baseUrl() {
    const here = new URL(".", root.location.href).href;
    return here.endsWith("/") ? here.slice(0, -1) : here;
  }

  function afterSheet(address) {
    return address.split("!").pop();
  }

  // ------------------------------------------------------------------ the workbook -> payload
  async function getBookData(context) {
    const workbook = context.workbook;
    workbook.load("name");
    const worksheets = workbook.worksheets;
    worksheets.load("items/name,items/position");
    const active = worksheets.getActiveWorksheet();
    active.load("position");
    await context.sync();

    let selection = null;
    try {
      const selected = workbook.getSelectedRange();
      selected.load("address");
      await context.sync();
      selection = afterSheet(selected.address);
    } catch (error) {
      selection = null; // several areas, or a shape
    }

    // Names: workbook scope, ranges only (a formula or a constant is no range).
    const named = workbook.names;
    named.load("items/name,items/type");
    await context.sync();
    const ranges = named.items
      .filter((item) => item.type === "Range")
      .map((item) => ({ name: item.name, range: item.getRangeOrNullObject() }));
    ranges.forEach((n) => n.range.load("address"));
    await context.sync();
    const placed = ranges.filter((n) => !n.range.isNullObject);
    placed.forEach((n) => {
      n.sheet = n.range.worksheet;
      n.sheet.load("position");
    });
    await context.sync();
    const names = placed.map((n) => ({
      name: n.name,
      sheet_index: n.sheet.position,
      address: afterSheet(n.range.address),
      scope_sheet_name: null,
      scope_sheet_index: null,
      book_scope: true,
    }));

    // Sheets: values from A1 to the used range's last cell, tables, pictures.
    const dates = Office.context.requirements.isSetSupported("ExcelApi", "1.12");
    const sheets = worksheets.items;
    const loaders = sheets.map((sheet) => {
      const used = sheet.getUsedRangeOrNullObject();
      const last = used.getLastCell();
      last.load("address");
      used.load("address");
      sheet.tables.load("items/name,items/showHeaders,items/showTotals,items/style,items/showFilterButton");
      sheet.shapes.load("items/name,items/type,items/width,items/height");
      return { sheet, used, last };
    });
    await context.sync();
    loaders.forEach((item) => {
      const lastCell = item.used.isNullObject ? "A1" : afterSheet(item.last.address);
      item.range = item.sheet.getRange("A1:" + lastCell);
      item.range.load(dates ? "values,numberFormatCategories" : "values");
      item.tables = item.sheet.tables.items.map((table) => {
        const parts = { table, range: table.getRange(), body: table.getDataBodyRange() };
        parts.range.load("address");
        parts.body.load("address");
        if (table.showHeaders) {
          parts.header = table.getHeaderRowRange();
          parts.header.load("address");
        }
        if (table.showTotals) {
          parts.totals = table.getTotalRowRange();
          parts.totals.load("address");
        }
        return parts;
      });
    });
    await context.sync();

    const payloadSheets = loaders.map((item) => {
      const values = item.range.values;
      if (dates) {
        const categories = item.range.numberFormatCategories;
        values.forEach((row, r) =>
          row.forEach((value, c) => {
            const category = String(categories[r][c]);
            if ((category === "Date" || category === "Time") && typeof value === "number") {
              row[c] = new Date(Math.round((value - EXCEL_1970) * 86400 * 1000)).toISOString();
            }
          }),
        );
      }
      return {
        name: item.sheet.name,
        values: values,
        pictures: item.sheet.shapes.items
          .filter((shape) => shape.type === "Image")
          .map((shape) => ({ name: shape.name, width: shape.width, height: shape.height })),
        tables: item.tables.map((parts) => ({
          name: parts.table.name,
          range_address: afterSheet(parts.range.address),
          header_row_range_address: parts.header ? afterSheet(parts.header.address) : null,
          data_body_range_address: afterSheet(parts.body.address),
          total_row_range_address: parts.totals ? afterSheet(parts.totals.address) : null,
          show_headers: parts.table.showHeaders,
          show_totals: parts.table.showTotals,
          table_style: parts.table.style,
          show_autofilter: parts.table.showFilterButton,
        })),
      };
    });

    return {
      client: "Office.js",
      version: XLWINGS_VERSION,
      book: { name: workbook.name, active_sheet_index: active.position, selection: selection },
      names: names,
      sheets: payloadSheets,
    };
  }

  // ------------------------------------------------------------------ actions -> the workbook
  function rangeOf(sheets, action) {
    return sheets[action.sheet_position].getRangeByIndexes(
      action.start_row,
      action.start_column,
      action.row_count,
      action.column_count,
    );
  }

  // The client functions kinerja's scripts call through runMacro (sheet protection: the
  // remote engine has no protect API).
  const callbacks = {
    async kinerjaUnprotect(context, sheetName) {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      sheet.protection.load("protected");
      await context.sync();
      if (sheet.protection.protected) {
        sheet.protection.unprotect();
        await context.sync();
      }
    },
    async kinerjaProtect(context, sheetName, options) {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      sheet.protection.load("protected");
      await context.sync();
      if (sheet.protection.protected) {
        sheet.protection.unprotect();
      }
      sheet.protection.protect(options);
      await context.sync();
    },
  };

  const players = {
    setValues(context, sheets, action) {
      rangeOf(sheets, action).values = action.values;
    },
    rangeClear(context, sheets, action) {
      rangeOf(sheets, action).clear();
    },
    rangeClearContents(context, sheets, action) {
      rangeOf(sheets, action).clear("Contents");
    },
    setRangeColor(context, sheets, action) {
      const fill = rangeOf(sheets, action).format.fill;
      if (action.args[0] === null) {
        fill.clear();
      } else {
        fill.color = action.args[0];
      }
    },
    addHyperlink(context, sheets, action) {
      const [address, text, tip] = action.args;
      const link = { textToDisplay: String(text), screenTip: String(tip) };
      if (address.startsWith("#")) {
        link.documentReference = address.slice(1); // a place in this workbook
      } else {
        link.address = address;
      }
      rangeOf(sheets, action).hyperlink = link;
    },
    activateSheet(context, sheets, action) {
      sheets[action.args[0]].activate();
    },
    rangeSelect(context, sheets, action) {
      rangeOf(sheets, action).select();
    },
  };

  async function runActions(context, actions, ui) {
    const worksheets = context.workbook.worksheets;
    worksheets.load("items/name");
    await context.sync();
    const sheets = worksheets.items;
    const alerts = [];
    for (const action of actions) {
      if (action.func === "alert") {
        const [prompt, title, buttons, mode] = action.args;
        alerts.push({ prompt, title, buttons, mode });
      } else if (action.func === "runMacro") {
        const [name, ...args] = action.args;
        if (!callbacks[name]) {
          throw new Error("kinerja.js has no client function " + name);
        }
        await context.sync();
        await callbacks[name](context, ...args);
      } else if (players[action.func]) {
        players[action.func](context, sheets, action);
      } else {
        throw new Error("kinerja.js does not play the action " + action.func);
      }
    }
    await context.sync();
    for (const alert of alerts) {
      await (ui && ui.alert ? ui.alert(alert) : showDialog(alert));
    }
  }

  // ------------------------------------------------------------------ message boxes
  function showDialog(alert) {
    const query = new URLSearchParams({
      prompt: alert.prompt,
      title: alert.title,
      buttons: alert.buttons || "ok",
      mode: alert.mode || "info",
    });
    const url = baseUrl() + "/dialog.html?" + query.toString();
    return new Promise((resolve) => {
      Office.context.ui.displayDialogAsync(url, { height: 45, width: 35, displayInIframe: true }, (result) => {
        if (result.status !== Office.AsyncResultStatus.Succeeded) {
          resolve(null);
          return;
        }
        const dialog = result.value;
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, (message) => {
          dialog.close();
          resolve(message.message);
        });
        dialog.addEventHandler(Office.EventType.DialogEventReceived, () => resolve(null));
      });
    });
  }

  // ------------------------------------------------------------------ one script, end to end
  async function post(path, payload) {
    const response = await fetch(baseUrl() + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok && !data.error) {
      throw new Error(data.detail || response.statusText);
    }
    return data;
  }

  async function runScript(name, ui) {
    let findings = null;
    await Excel.run(async (context) => {
      const payload = await getBookData(context);
      const answer = await post("/xlwings/custom-scripts-call/" + name, payload);
      if (answer.error) {
        throw new Error(answer.detail || answer.error.message);
      }
      await runActions(context, answer.actions || [], ui);
      if (ui && ui.findings) {
        findings = await post("/kinerja/temuan", payload);
      }
    });
    return findings;
  }

  async function goTo(sheetName, cell) {
    await Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      sheet.activate();
      sheet.getRange(cell).select();
      await context.sync();
    });
  }

  root.kinerja = { getBookData, runActions, runScript, goTo, showDialog, callbacks, players, words };
})(typeof window !== "undefined" ? window : globalThis);
