/*
 * A stand-in for the part of Office.js that addin/server/static/kinerja.js uses, over a
 * workbook held in memory, so the client runs in node without Excel:
 *
 *   node fake_office.js workbook.json actions.json kinerja.js
 *
 * workbook.json describes the open workbook (sheets with values and number format
 * categories, tables, names, pictures); the script prints one JSON document: what
 * getBookData() posts, and the workbook after runActions() played actions.json.
 * Values typed behind an apostrophe stay text, as Excel keeps them.
 */
"use strict";

const fs = require("fs");
const path = require("path");

function colName(n) {
  let s = "";
  for (n += 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
function colIndex(letters) {
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
}
function cellOf(ref) {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(ref);
  return [Number(m[2]) - 1, colIndex(m[1])];
}
function parseRange(ref) {
  const [a, b] = ref.replace(/\$/g, "").split(":");
  const [r1, c1] = cellOf(a);
  const [r2, c2] = cellOf(b || a);
  return [r1, c1, r2, c2];
}
function address(r1, c1, r2, c2) {
  const a = colName(c1) + (r1 + 1);
  return r1 === r2 && c1 === c2 ? a : a + ":" + colName(c2) + (r2 + 1);
}
function quoted(name) {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : "'" + name.replace(/'/g, "''") + "'";
}

function build(book) {
  const state = { log: [], dialogs: [] };
  const sheets = [];

  function makeRange(sheet, r1, c1, r2, c2) {
    const range = {
      isNullObject: false,
      worksheet: sheet,
      load() {},
      get address() {
        return quoted(sheet.name) + "!" + address(r1, c1, r2, c2);
      },
      get values() {
        const out = [];
        for (let r = r1; r <= r2; r++) {
          const row = [];
          for (let c = c1; c <= c2; c++) row.push(sheet.cell(r, c));
          out.push(row);
        }
        return out;
      },
      set values(rows) {
        rows.forEach((row, i) =>
          row.forEach((v, j) => {
            let value = v;
            if (typeof value === "string" && value.startsWith("'")) value = value.slice(1);
            sheet.set(r1 + i, c1 + j, value);
          }),
        );
      },
      get numberFormatCategories() {
        return range.values.map((row, i) => row.map((_, j) => sheet.category(r1 + i, c1 + j)));
      },
      getLastCell() {
        return makeRange(sheet, r2, c2, r2, c2);
      },
      format: {
        fill: {
          set color(hex) {
            sheet.guard("format", address(r1, c1, r2, c2));
            state.log.push(["fill", sheet.name, address(r1, c1, r2, c2), hex]);
          },
          clear() {
            sheet.guard("format", address(r1, c1, r2, c2));
            state.log.push(["fill", sheet.name, address(r1, c1, r2, c2), null]);
          },
        },
      },
      set hyperlink(link) {
        sheet.guard("cell", address(r1, c1, r2, c2));
        sheet.set(r1, c1, link.textToDisplay);
        state.log.push(["link", sheet.name, address(r1, c1, r2, c2), link]);
      },
      clear(kind) {
        for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) sheet.set(r, c, "");
        state.log.push(["clear", sheet.name, address(r1, c1, r2, c2), kind || "All"]);
      },
      select() {
        state.log.push(["select", sheet.name, address(r1, c1, r2, c2)]);
      },
    };
    return range;
  }

  book.sheets.forEach((data, position) => {
    const grid = data.values.map((row) => row.slice());
    const sheet = {
      name: data.name,
      position,
      protection: {
        protected: true,
        load() {},
        unprotect() {
          sheet.protection.protected = false;
          state.log.push(["unprotect", sheet.name]);
        },
        protect(options) {
          if (sheet.protection.protected) throw new Error("InvalidOperation: already protected");
          sheet.protection.protected = true;
          state.log.push(["protect", sheet.name, options]);
        },
      },
      guard(kind, where) {
        if (sheet.protection.protected) throw new Error(`AccessDenied: ${sheet.name}!${where} (${kind}) on a protected sheet`);
      },
      cell(r, c) {
        return r < grid.length && c < grid[r].length ? grid[r][c] : "";
      },
      category(r, c) {
        return (data.categories && data.categories[r] && data.categories[r][c]) || "General";
      },
      set(r, c, value) {
        sheet.guard("cell", address(r, c, r, c));
        while (grid.length <= r) grid.push([]);
        while (grid[r].length <= c) grid[r].push("");
        grid[r][c] = value;
      },
      grid,
      load() {},
      activate() {
        state.active = position;
        state.log.push(["activate", sheet.name]);
      },
      getUsedRangeOrNullObject() {
        const rows = grid.length;
        const cols = Math.max(0, ...grid.map((r) => r.length));
        if (!rows || !cols) return { isNullObject: true, load() {}, getLastCell: () => ({ load() {}, isNullObject: true }) };
        return makeRange(sheet, 0, 0, rows - 1, cols - 1);
      },
      getRange(ref) {
        const [r1, c1, r2, c2] = parseRange(ref);
        return makeRange(sheet, r1, c1, r2, c2);
      },
      getRangeByIndexes(r, c, rows, cols) {
        return makeRange(sheet, r, c, r + rows - 1, c + cols - 1);
      },
      tables: {
        load() {},
        items: data.tables.map((t) => ({
          name: t.name,
          showHeaders: t.show_headers,
          showTotals: t.show_totals,
          style: t.table_style,
          showFilterButton: t.show_autofilter,
          getRange: () => sheet.getRange(t.range_address),
          getDataBodyRange: () => sheet.getRange(t.data_body_range_address),
          getHeaderRowRange: () => sheet.getRange(t.header_row_range_address),
          getTotalRowRange: () => sheet.getRange(t.total_row_range_address),
        })),
      },
      shapes: {
        load() {},
        items: data.pictures
          .map((p) => ({ name: p.name, type: "Image", width: p.width, height: p.height }))
          .concat([{ name: "Chart 1", type: "Chart", width: 1, height: 1 }].filter(() => data.chart)),
      },
    };
    sheets.push(sheet);
  });
  state.active = book.book.active_sheet_index;

  const workbook = {
    name: book.book.name,
    load() {},
    worksheets: {
      items: sheets,
      load() {},
      getActiveWorksheet: () => ({ load() {}, get position() { return state.active; } }),
      getItem: (name) => sheets.find((s) => s.name === name),
    },
    names: {
      load() {},
      items: book.names.map((n) => ({
        name: n.name,
        type: "Range",
        getRangeOrNullObject: () => sheets[n.sheet_index].getRange(n.address),
      })).concat([{ name: "rumus", type: "Formula", getRangeOrNullObject: () => ({ isNullObject: true, load() {} }) }]),
    },
    getSelectedRange: () => sheets[state.active].getRange(book.book.selection || "A1"),
  };
  const context = { workbook, sync: async () => {} };
  global.Excel = { run: async (fn) => fn(context) };
  global.Office = {
    context: {
      requirements: { isSetSupported: () => true },
      ui: { displayDialogAsync: (url) => state.dialogs.push(url) },
    },
  };
  global.window = global;
  global.location = { href: "https://kinerja.example.go.id/taskpane.html" };
  return { context, sheets, state };
}

async function main() {
  const book = JSON.parse(fs.readFileSync(process.argv[2], "utf-8"));
  const actions = JSON.parse(fs.readFileSync(process.argv[3], "utf-8"));
  const { context, sheets, state } = build(book);
  require(path.resolve(process.argv[4] || path.join(__dirname, "../../addin/server/static/kinerja.js")));
  const payload = await global.kinerja.getBookData(context);
  const alerts = [];
  let error = null;
  try {
    await global.kinerja.runActions(context, actions, { alert: async (a) => alerts.push(a) });
  } catch (e) {
    error = String(e.message || e);
  }
  const after = {};
  sheets.forEach((s) => (after[s.name] = s.grid));
  process.stdout.write(JSON.stringify({ payload, after, log: state.log, alerts, error }));
}

main().catch((e) => {
  process.stderr.write(String(e.stack || e));
  process.exit(1);
});
