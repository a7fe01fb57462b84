"""The surname data: Faker's lists read from the pinned wheel with ast (Faker never imported), every form
of `last_names` handled, languages grouped and filtered, and a fixed, stratified split by name in which
an ambiguous name only ever trains."""
from __future__ import annotations

import ast
import collections
import sys

import pytest

from rnnviz.data import registry
from rnnviz.topics.surname import data as surnames


@pytest.fixture(scope="module")
def data():
    surnames.fetch()          # set-up step (make data); a no-op once the verified wheel is cached
    return surnames.languages(), surnames.split()


def test_the_wheel_is_the_pinned_one_and_faker_is_never_imported(data):
    assert registry.sha256(surnames.archive_path()) == surnames.SHA256
    assert "faker" not in sys.modules


@pytest.mark.parametrize("source, expected", [
    ("('Abe', 'Baker')", ["Abe", "Baker"]),                                       # a tuple
    ("['Abe', 'Baker']", ["Abe", "Baker"]),                                       # a list
    ("OrderedDict((('Abe', 0.5), ('Baker', 0.25)))", ["Abe", "Baker"]),          # name → weight
    ("OrderedDict([('Abe', 3), ('Baker', 1)])", ["Abe", "Baker"]),
    ("{'Abe': 1, 'Baker': 2}", ["Abe", "Baker"]),
    ("a + b", ["Abe", "Cole"]),                                                   # male + female lists
    ("sorted(set(a + b + a))", ["Abe", "Cole"]),
    ("tuple(map(itemgetter(2), pairs))", ["Sato", "Suzuki"]),                    # ja_JP's romanised names
])
def test_literal_reader_handles_every_form_faker_uses(source, expected):
    names = {"a": ("Abe",), "b": ("Cole",), "pairs": {("佐藤", "サトウ", "Sato"): 1.0, ("鈴木", "スズキ", "Suzuki"): 0.9}}
    got = surnames.literal(ast.parse(source, mode="eval").body, names)
    assert list(got) == expected


def test_literal_reader_refuses_code():
    for source in ("open('x').read()", "[n for n in names]", "self.last_names", "unknown_name"):
        with pytest.raises(surnames.Unsupported):
            surnames.literal(ast.parse(source, mode="eval").body, {})


def test_real_locales_parse_in_each_form(data):
    assert surnames.provider_lists("de_DE")["last_names"][:2] == ["Ackermann", "Adler"]           # tuple
    assert surnames.provider_lists("en_US")["last_names"][:2] == ["Smith", "Johnson"]             # OrderedDict
    assert surnames.provider_lists("hr_HR")["last_names"][0] == "Abičić"                          # list
    cs = surnames.provider_lists("cs_CZ")                                                          # a + b
    assert cs["last_names"] == cs["last_names_male"] + cs["last_names_female"]
    assert "Sato" in surnames.provider_lists("ja_JP")["last_romanized_names"]
    assert "last_names" not in surnames.provider_lists("es")          # inherits: nothing of its own, skipped
    assert surnames.translit_table("ru_RU")["ж"] == "zh"


def test_languages_latin_one_word_enough_names(data):
    langs, _ = data
    assert len(langs) == 17 and len(langs) <= 18
    assert set(surnames.too_few()) == {"Portuguese", "Hungarian", "Turkish", "Japanese"}
    for lang, names in langs.items():
        assert len(names) >= surnames.MIN_NAMES, lang
        assert names == sorted(set(names))
        for n in names:
            assert surnames.WORD.match(n) and n == n.lower() and " " not in n, (lang, n)
            assert all("LATIN" in __import__("unicodedata").name(ch) for ch in n if ch.isalpha()), (lang, n)
    assert "ivanov" in langs["Russian"] and "smirnova" in langs["Russian"]       # Faker's transliteration
    assert "wang" in langs["Chinese"] and "kowalski" in langs["Polish"]
    assert "o'brien" in langs["Irish"] and "müller" in langs["German"]
    assert not any(n.startswith("van") and " " in n for n in langs["Dutch"])


def test_split_is_fixed_stratified_and_ambiguous_names_only_train(data):
    langs, sp = data
    assert surnames.split() == sp                                         # seeded: the same every time
    test_names = [n for n, _ in sp.test]
    val_names = [n for n, _ in sp.validation]
    assert len(set(test_names)) == len(test_names) and not set(test_names) & set(val_names)
    train_names = {n for n, _ in sp.train}
    assert not train_names & set(test_names) and not train_names & set(val_names)
    assert "martin" in sp.ambiguous and {"English", "French"} <= set(sp.ambiguous["martin"])
    for name, owners in sp.ambiguous.items():
        assert name not in test_names and name not in val_names
        assert {lang for n, lang in sp.train if n == name} == set(owners)
    per_lang = collections.Counter(lang for _, lang in sp.test)
    for lang, names in langs.items():
        own = sum(n not in sp.ambiguous for n in names)
        assert per_lang[lang] == round(surnames.TEST_SHARE * own), lang      # stratified: each language's share
    assert surnames.split(seed=1) != sp


def test_normalise_matches_what_a_keyboard_types():
    assert surnames.normalise("O’Brien") == "o'brien"
    assert surnames.normalise("Mu\u0308ller") == "müller"                 # combining umlaut → one letter
    assert surnames.normalise("  ŁUKASIK ") == "łukasik"
