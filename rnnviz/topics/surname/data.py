"""Surnames by language, from Faker's per-locale lists: the data of the surname → language demo.

Where it comes from: the `faker==40.54.0` wheel on the Python package registry holds
`faker/providers/person/<locale>/__init__.py`, each with a `Provider` class whose `last_names` is a tuple,
a list, or an OrderedDict of name → weight. We never install or import Faker: `make data` fetches the
wheel once (sha256 pinned) and this module reads those files with zipfile and evaluates only the literal
parts of the class body with `ast` (tuples, lists, dicts, OrderedDict(...), `a + b`, tuple(...),
sorted(set(...)), tuple(map(itemgetter(k), pairs))): no Faker code ever runs.

These are the lists Faker draws fake people from: compiled by contributors from name-frequency tables
and lists of common surnames, with weights where a locale has them. They are not a census, not a
random sample of a country's people, and a few hold names of immigrants (Swedish "Abbas") or of
neighbours (Irish "Adams"): the labels say which list a name is in, not anyone's ancestry.

Choices, each said on the page:
- Latin script only. A name in Cyrillic, Greek, Hangul or Han characters gives its language away with
  its first letter, so a model would learn alphabets, not languages. Russian and Ukrainian come in
  Faker's own transliteration (the `translit` table each of those modules ships); Chinese in the
  romanised surnames zh_CN and zh_TW ship (`last_romanized_names`); Polish from `male_last_names` and
  `unisex_last_names` (its Provider has no `last_names`).
- A language is kept with at least MIN_NAMES distinct names (Portuguese 132, Hungarian 100, Turkish 60
  and Japanese 49 are not: `too_few()`), and the chart stays readable: 17 languages.
- A surname is one word: names with a space ("van Dijk", "de la Cruz", "Ó Briain") or a digit
  ("Koch II") are left out; letters, one apostrophe or hyphen between letters ("O'Brien") are kept.
- Lowercase, Unicode NFC: the capital is always the first letter and says nothing; accents stay
  (ł is Polish, ø Danish, ñ Spanish).
- A name in the lists of several languages ("martin": English, French, German, …) is ambiguous. It is
  kept for training only, once under each of its languages, so the model learns to split its vote;
  validation and test hold names of exactly one language, so an accuracy has one right answer.

    languages()            # {language: sorted distinct names} (lowercase, NFC)
    split(seed)            # Split(train, validation, test): lists of (name, language)
"""
from __future__ import annotations

import ast
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from rnnviz.data import registry

PACKAGE = "faker==40.54.0"
WHEEL = "faker-40.54.0-py3-none-any.whl"
SHA256 = "2dd88ee8cb63a9149e19ef48bdd73879bc3854d8ba2d6c1535e902a762e603f7"
SOURCE = (f"{PACKAGE} wheel (Python package registry), faker/providers/person/<locale>/__init__.py: "
          "Provider.last_names, parsed with ast (Faker is never imported)")
MIN_NAMES = 150
SPLIT_SEED = 1701
VAL_SHARE, TEST_SHARE = 0.10, 0.15

# language → ((locale, attribute of its Provider), ...). The locale lists of the same language are
# merged (en_US, en_GB, ... → English). Lists of other languages' names under a locale of this one are
# left out: en_IN (Indian), en_KE (Kenyan), fr_DZ (Algerian), fr_BE (Belgian, half Flemish), de_LU.
SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "English": (("en", "last_names"), ("en_US", "last_names"), ("en_GB", "last_names"), ("en_NZ", "last_names")),
    "Irish": (("en_IE", "last_names"), ("ga_IE", "last_names")),
    "German": (("de_DE", "last_names"), ("de_AT", "last_names"), ("de_CH", "last_names"), ("de_LI", "last_names")),
    "Dutch": (("nl_NL", "last_names"), ("nl_BE", "last_names")),
    "French": (("fr_FR", "last_names"), ("fr_CA", "last_names"), ("fr_CH", "last_names")),
    "Spanish": tuple((loc, "last_names") for loc in ("es_ES", "es_MX", "es_AR", "es_CL", "es_CO")),
    "Italian": (("it_IT", "last_names"),),
    "Polish": (("pl_PL", "male_last_names"), ("pl_PL", "unisex_last_names")),
    "Czech": (("cs_CZ", "last_names"),),
    "Slovak": (("sk_SK", "last_names"),),
    "Croatian": (("hr_HR", "last_names"),),
    "Russian": (("ru_RU", "last_names"),),
    "Ukrainian": (("uk_UA", "last_names"),),
    "Finnish": (("fi_FI", "last_names"),),
    "Swedish": (("sv_SE", "last_names"),),
    "Chinese": (("zh_CN", "last_romanized_names"), ("zh_TW", "last_romanized_names")),
    "Indonesian": (("id_ID", "last_names"),),
    # considered, and left out by the MIN_NAMES rule (languages() counts them)
    "Portuguese": (("pt_BR", "last_names"), ("pt_PT", "last_names")),
    "Hungarian": (("hu_HU", "last_names"),),
    "Turkish": (("tr_TR", "last_names"),),
    "Japanese": (("ja_JP", "last_romanized_names"),),
}
TRANSLITERATED = ("ru_RU", "uk_UA")            # their module-level translit(): Cyrillic → Latin

# One word of letters, with at most single apostrophes or hyphens between letters (O'Brien, Müller-Lang).
WORD = re.compile(r"^[^\W\d_]+(?:['-][^\W\d_]+)*$")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def archive_path() -> Path:
    return registry.cache_dir() / WHEEL


def fetch() -> Path:
    """Download the wheel into the cache (set-up time only), verify its sha256, return its path."""
    return registry.download(PACKAGE, WHEEL, SHA256, kind="wheel")


def available() -> bool:
    return archive_path().exists()


# ----------------------------------------------------------------------------- reading the wheel

class Unsupported(ValueError):
    """An expression this reader does not evaluate (a method call, a comprehension, ...)."""


def literal(node: ast.AST, names: dict):
    """The value of a class-body expression built from literals and earlier assignments in `names`."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(literal(e, names) for e in node.elts)
    if isinstance(node, (ast.List, ast.Set)):
        return [literal(e, names) for e in node.elts]
    if isinstance(node, ast.Dict):
        return {literal(k, names): literal(v, names) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise Unsupported(f"name {node.id!r} is not a literal assigned above")
        return names[node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return list(literal(node.left, names)) + list(literal(node.right, names))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1 and not node.keywords:
        fn, (arg,) = node.func.id, node.args
        if fn in ("OrderedDict", "dict"):                         # name → weight: the names are the keys
            return dict(literal(arg, names))
        if fn in ("tuple", "list", "sorted", "set"):
            if (isinstance(arg, ast.Call) and getattr(arg.func, "id", None) == "map" and len(arg.args) == 2
                    and isinstance(arg.args[0], ast.Call) and getattr(arg.args[0].func, "id", None) == "itemgetter"):
                k = literal(arg.args[0].args[0], names)           # tuple(map(itemgetter(k), pairs))
                return [item[k] for item in literal(arg.args[1], names)]
            items = list(literal(arg, names))
            return sorted(set(items)) if fn == "sorted" else list(dict.fromkeys(items)) if fn == "set" else items
    raise Unsupported(ast.dump(node)[:80])


def _module(locale: str) -> ast.Module:
    path = archive_path()
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make data` once (it fetches {PACKAGE}).")
    with zipfile.ZipFile(path) as wheel:
        return ast.parse(wheel.read(f"faker/providers/person/{locale}/__init__.py").decode("utf-8"))


@lru_cache(maxsize=None)
def provider_lists(locale: str) -> dict[str, list]:
    """Every class-level assignment of the locale's Provider that evaluates to a sequence or mapping of
    literals, name → list (a mapping's keys). Assignments this reader cannot evaluate are skipped, and
    so is a name's `last_names` when the Provider inherits it (then it is simply absent here)."""
    names: dict = {}
    for cls in _module(locale).body:
        if not (isinstance(cls, ast.ClassDef) and cls.name == "Provider"):
            continue
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            else:
                continue
            try:
                result = literal(value, names)
            except (Unsupported, TypeError, KeyError, IndexError):
                continue
            for t in targets:
                if isinstance(t, ast.Name):
                    names[t.id] = result
    return {k: list(v) for k, v in names.items() if isinstance(v, (list, tuple, dict))}


@lru_cache(maxsize=None)
def translit_table(locale: str) -> dict[str, str]:
    """The Cyrillic → Latin table of the locale's module-level `translit` function (ru_RU, uk_UA)."""
    for fn in _module(locale).body:
        if isinstance(fn, ast.FunctionDef) and fn.name == "translit":
            for node in ast.walk(fn):
                if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Dict):
                    return literal(node.value, {})
    raise Unsupported(f"{locale} has no translit table")


def normalise(name: str) -> str:
    """How every surname is read, in training and on the page: Unicode NFC (é as one character, as typed
    on most keyboards), curly apostrophes made straight, lowercase."""
    return unicodedata.normalize("NFC", name).translate(APOSTROPHES).strip().lower()


def _source_names(locale: str, attribute: str) -> list[str]:
    raw = provider_lists(locale).get(attribute)
    if raw is None:
        raise KeyError(f"{locale}'s Provider has no {attribute} of its own")
    if locale in TRANSLITERATED:
        table = translit_table(locale)
        raw = ["".join(table.get(ch, ch) for ch in name) for name in raw]
    return [str(n) for n in raw]


@lru_cache(maxsize=1)
def candidates() -> dict[str, tuple[list[str], int]]:
    """{language in SOURCES: (its distinct one-word surnames, normalised and sorted, how many distinct
    names were left out for not being one word: a space, a digit, a dot)}."""
    out = {}
    for language, sources in SOURCES.items():
        names = {normalise(n) for loc, attr in sources for n in _source_names(loc, attr)}
        words = sorted(n for n in names if WORD.match(n))
        out[language] = (words, len(names) - len(words))
    return out


def languages() -> dict[str, list[str]]:
    """{language: its distinct surnames}, for the languages with at least MIN_NAMES of them."""
    return {lang: names for lang, (names, _) in candidates().items() if len(names) >= MIN_NAMES}


def too_few() -> dict[str, int]:
    """{language: distinct names} of the languages considered and left out by the MIN_NAMES rule."""
    return {lang: len(names) for lang, (names, _) in candidates().items() if len(names) < MIN_NAMES}


@dataclass(frozen=True)
class Split:
    train: list[tuple[str, str]]        # (name, language); an ambiguous name once per language
    validation: list[tuple[str, str]]   # names of exactly one language
    test: list[tuple[str, str]]
    ambiguous: dict[str, tuple[str, ...]]   # name → its languages (all in train)


def split(seed: int = SPLIT_SEED, val_share: float = VAL_SHARE, test_share: float = TEST_SHARE) -> Split:
    """A fixed, seeded split by name, stratified by language: within each language its unambiguous names
    are shuffled (NumPy's PCG64, seeded) and the first test_share go to test, the next val_share to
    validation, the rest to training; every ambiguous name goes to training under each of its languages."""
    langs = languages()
    owners: dict[str, list[str]] = {}
    for language, names in langs.items():
        for n in names:
            owners.setdefault(n, []).append(language)
    ambiguous = {n: tuple(ls) for n, ls in sorted(owners.items()) if len(ls) > 1}
    rng = np.random.default_rng(seed)
    train, val, test = [], [], []
    for language, names in langs.items():
        own = [n for n in names if n not in ambiguous]
        own = [own[i] for i in rng.permutation(len(own))]
        n_test, n_val = round(test_share * len(own)), round(val_share * len(own))
        test += [(n, language) for n in own[:n_test]]
        val += [(n, language) for n in own[n_test:n_test + n_val]]
        train += [(n, language) for n in own[n_test + n_val:]]
        train += [(n, language) for n in names if n in ambiguous]
    return Split(sorted(train), sorted(val), sorted(test), ambiguous)


if __name__ == "__main__":
    print(fetch())
    for language, names in languages().items():
        print(f"{language:12s} {len(names):5d}  e.g. {', '.join(names[:: max(1, len(names) // 4)][:4])}")
