"""The SOP definition is the one source of truth: it must say what the SOP says."""

from paths import SOP_SEED

from kinerja.core import contract, sop


def test_the_six_steps_add_up_to_the_sops_170_minutes():
    definition = sop.load()
    assert [s.no for s in definition.steps] == [1, 2, 3, 4, 5, 6]
    assert definition.total_minutes == 170


def test_every_activity_is_the_sops_own_words():
    seed_text = SOP_SEED.read_text("utf-8")
    seed_words = " ".join(seed_text.split())
    for step in sop.load().steps:
        assert " ".join(step.activity.split()).rstrip(".") in seed_words.replace(" .", "."), step.no


def test_lanes_are_the_four_roles_of_the_sop_in_its_order():
    assert [r.lane for r in sop.load().roles] == ["Camat", "Sekretaris", "Kasi Ekbang", "Sub. Evapor"]


def test_step_three_is_the_one_decision_and_loops_back_to_kasi_ekbang():
    definition = sop.load()
    decisions = [s for s in definition.steps if s.decision]
    assert [s.no for s in decisions] == [3]
    loop_target = definition.step(decisions[0].decision.no_goes_to)
    assert loop_target.lanes == ("kasi_ekbang",)


def test_every_return_decision_reopens_an_earlier_signoff():
    definition = sop.load()
    order = [s.key for s in definition.signoffs]
    for so in definition.signoffs:
        for d in so.decisions:
            if d.returns_to:
                assert order.index(d.returns_to) < order.index(so.key), (so.key, d.text)


def test_contract_constants_name_things_the_definition_holds():
    definition = contract.definition()
    sheet_names = {s.name for s in definition.sheets}
    table_names = {t.name for t in definition.tables}
    for attr, value in vars(contract).items():
        if attr.endswith("_SHEET") or attr in ("PETUNJUK", "REFERENSI"):
            assert value in sheet_names, attr
        elif attr.isupper() and isinstance(value, str) and value.startswith("tbl"):
            assert value in table_names, attr
    assert definition.id == contract.TEMPLATE_ID
    assert definition.contract_version == contract.CONTRACT_VERSION


def test_the_contract_has_thirteen_sheets_in_order():
    assert [s.name for s in sop.load().sheets] == [
        "Petunjuk",
        "Referensi",
        "1a Daftar Hadir",
        "1b Berita Acara",
        "1c Foto",
        "2 Penyampaian",
        "3 Analisa IKU",
        "4 Laporan Sekcam",
        "5 Persetujuan Camat",
        "6 Arsip",
        "Persetujuan",
        "Hasil Validasi",
        "_meta",
    ]
