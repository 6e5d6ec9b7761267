"""The web add-in's manifest: one tab 'SOP Kinerja' with the buttons Validasi (opens the
task pane, which validates and lists the findings), Tanda Tangan and Status (each runs its
script). Built from the server's address alone, with the standard library, so
`kinerja addin manifest --url …` works on any PC. Texts come from the catalogue,
Indonesian with English overrides.

The add-in's Id is derived from the address (a UUID5), so one server always has one Id and
two servers never share one.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from kinerja import __version__
from kinerja.core.findings import KinerjaError, text

TASKPANE_ID = "kinerja.Taskpane"
# (control id, label code, tip code, action): Validasi shows the task pane, the others
# run a function of commands.html (static/kinerja.js associates them).
BUTTONS = (
    ("Validasi", "ADDIN_TOMBOL_VALIDASI", "ADDIN_TIP_VALIDASI", None),
    ("TandaTangan", "ADDIN_TOMBOL_TANDA_TANGAN", "ADDIN_TIP_TANDA_TANGAN", "kinerjaTandaTangan"),
    ("Status", "ADDIN_TOMBOL_STATUS", "ADDIN_TIP_STATUS", "kinerjaStatus"),
)
SCRIPTS = {"kinerjaTandaTangan": "tanda_tangan", "kinerjaStatus": "status"}  # function -> script
ICON_SIZES = (16, 32, 64, 80)


def base_url(url: str) -> str:
    """An https address without a trailing slash (http only for this PC, in development)."""
    parts = urlsplit(url.strip())
    local = parts.hostname in ("localhost", "127.0.0.1")
    wrong = parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment
    if wrong or (parts.scheme == "http" and not local):
        raise KinerjaError("ADDIN_MANIFEST_URL", url=url)
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def manifest_id(url: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, base_url(url) + "/manifest.xml"))


def _short(resid: str, code: str) -> str:
    entry = text(code)
    return (
        f"<bt:String id={quoteattr(resid)} DefaultValue={quoteattr(entry.pesan)}>"
        f'<bt:Override Locale="en-US" Value={quoteattr(entry.message)} /></bt:String>'
    )


def _icons(indent: str) -> str:
    return (
        f"{indent}<Icon>\n"
        + "".join(f'{indent}  <bt:Image size="{n}" resid="Icon.{n}" />\n' for n in (16, 32, 80))
        + f"{indent}</Icon>\n"
    )


def manifest_xml(url: str) -> str:
    base = base_url(url)
    version = ".".join((__version__.split(".") + ["0", "0", "0", "0"])[:4])
    title = text("ADDIN_JUDUL_WEB")
    controls = []
    for control, _label, _tip, function in BUTTONS:
        if function is None:
            action = (
                '<Action xsi:type="ShowTaskpane">'
                f'<TaskpaneId>{TASKPANE_ID}</TaskpaneId><SourceLocation resid="Taskpane.Url" /></Action>'
            )
        else:
            action = f'<Action xsi:type="ExecuteFunction"><FunctionName>{function}</FunctionName></Action>'
        controls.append(
            f'              <Control xsi:type="Button" id="kinerja.{control}">\n'
            f'                <Label resid="{control}.Label" />\n'
            f'                <Supertip><Title resid="{control}.Label" /><Description resid="{control}.Tip" /></Supertip>\n'
            + _icons("                ")
            + f"                {action}\n"
            "              </Control>\n"
        )
    shorts = [_short("Tab.Label", "ADDIN_TAB"), _short("Group.Label", "ADDIN_GRUP")]
    shorts += [_short(f"{control}.Label", label) for control, label, _, _ in BUTTONS]
    longs = [_short(f"{control}.Tip", tip) for control, _, tip, _ in BUTTONS]
    images = "".join(
        f'        <bt:Image id="Icon.{n}" DefaultValue="{base}/static/icon-{n}.png" />\n' for n in (16, 32, 80)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1"\n'
        '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
        '  xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0"\n'
        '  xmlns:ov="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="TaskPaneApp">\n'
        f"  <Id>{manifest_id(base)}</Id>\n"
        f"  <Version>{version}</Version>\n"
        "  <ProviderName>kinerja</ProviderName>\n"
        "  <DefaultLocale>id-ID</DefaultLocale>\n"
        f'  <DisplayName DefaultValue={quoteattr(title.pesan)}><Override Locale="en-US" Value={quoteattr(title.message)} /></DisplayName>\n'
        f"  <Description DefaultValue={quoteattr(text('ADDIN_TIP_VALIDASI').pesan)}>"
        f'<Override Locale="en-US" Value={quoteattr(text("ADDIN_TIP_VALIDASI").message)} /></Description>\n'
        f'  <IconUrl DefaultValue="{base}/static/icon-32.png" />\n'
        f'  <HighResolutionIconUrl DefaultValue="{base}/static/icon-64.png" />\n'
        f'  <SupportUrl DefaultValue="{base}/" />\n'
        f"  <AppDomains><AppDomain>{base}</AppDomain></AppDomains>\n"
        '  <Hosts><Host Name="Workbook" /></Hosts>\n'
        '  <Requirements><Sets DefaultMinVersion="1.1"><Set Name="ExcelApi" MinVersion="1.9" /></Sets></Requirements>\n'
        f'  <DefaultSettings><SourceLocation DefaultValue="{base}/taskpane.html" /></DefaultSettings>\n'
        "  <Permissions>ReadWriteDocument</Permissions>\n"
        '  <VersionOverrides xmlns="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="VersionOverridesV1_0">\n'
        "    <Hosts>\n"
        '      <Host xsi:type="Workbook">\n'
        "        <DesktopFormFactor>\n"
        '          <FunctionFile resid="Commands.Url" />\n'
        '          <ExtensionPoint xsi:type="PrimaryCommandSurface">\n'
        '            <CustomTab id="kinerja.Tab">\n'
        '              <Group id="kinerja.Group">\n'
        '                <Label resid="Group.Label" />\n'
        + _icons("                ")
        + "".join(controls)
        + "              </Group>\n"
        '              <Label resid="Tab.Label" />\n'
        "            </CustomTab>\n"
        "          </ExtensionPoint>\n"
        "        </DesktopFormFactor>\n"
        "      </Host>\n"
        "    </Hosts>\n"
        "    <Resources>\n"
        "      <bt:Images>\n" + images + "      </bt:Images>\n"
        "      <bt:Urls>\n"
        f'        <bt:Url id="Commands.Url" DefaultValue="{base}/commands.html" />\n'
        f'        <bt:Url id="Taskpane.Url" DefaultValue="{base}/taskpane.html" />\n'
        "      </bt:Urls>\n"
        "      <bt:ShortStrings>\n" + "".join(f"        {s}\n" for s in shorts) + "      </bt:ShortStrings>\n"
        "      <bt:LongStrings>\n" + "".join(f"        {s}\n" for s in longs) + "      </bt:LongStrings>\n"
        "    </Resources>\n"
        "  </VersionOverrides>\n"
        "</OfficeApp>\n"
    )


def write_manifest(url: str, path: Path) -> Path:
    from kinerja.xlsx.atomic import write_atomic

    content = manifest_xml(url)
    write_atomic(Path(path), lambda tmp: tmp.write_text(content, encoding="utf-8"), keep_backup=False)
    return Path(path)
