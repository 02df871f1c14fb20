#!/usr/bin/python3
"""Write the conformance corpus for tests/cli/test_conformance.sh.

    /usr/bin/python3 tests/conformance/make_corpus.py OUTDIR

The corpus is generated at test time (some files are 10 MB and more, so they
are not committed).  It writes OUTDIR/NAME.json for every case and
OUTDIR/manifest.tsv, one case a line:

    NAME <TAB> EXIT <TAB> WHERE <TAB> TEXT

EXIT is what `chengyu validate` must return (1 for a bad document, 0 for a
hostile but valid one).  For EXIT 1, WHERE says how the first error line
must locate the problem: `pos` (FILE:LINE:COLUMN, a parse error) or `path`
(a JSON path such as $.links[3].to), and TEXT is a fragment that the error
output must contain (matched as a fixed string).  For EXIT 0, TEXT is the
exact `ok: ...` line validate must print.

Standard library only; deterministic output.
"""
import json
import sys
import unicodedata
from pathlib import Path

BIG = 100_000          # "100,000 enterprises", "100,000-deep nesting"
TEN_MB = 10 * 1024 * 1024


def doc(enterprises, links, **extra):
    d = {"format": "chengyu/1", "name": "conformance", "enterprises": enterprises,
         "links": links}
    d.update(extra)
    return d


def small():
    """A valid two-firm network with a Chinese name (multi-byte UTF-8)."""
    return doc([{"id": "oem", "name": "长安汽车", "kind": "oem", "tier": 0},
                {"id": "sup", "kind": "supplier", "tier": 1}],
               [{"from": "sup", "to": "oem", "part": "battery", "volume": 5}])


def enc(d):
    return json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Corpus:
    def __init__(self, out):
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.rows = []

    def bad(self, name, data, where, text):
        assert where in ("pos", "path")
        self._write(name, data)
        self.rows.append((name, "1", where, text))

    def good(self, name, data, ok_line):
        self._write(name, data)
        self.rows.append((name, "0", "-", ok_line))

    def _write(self, name, data):
        assert "\t" not in name and name not in {r[0] for r in self.rows}
        if isinstance(data, str):
            data = data.encode("utf-8")
        (self.out / (name + ".json")).write_bytes(data)

    def finish(self):
        with open(self.out / "manifest.tsv", "w", encoding="utf-8") as f:
            for row in self.rows:
                f.write("\t".join(row) + "\n")


def malformed(c):
    """Documents that are not JSON (or not the JSON chengyu/1 accepts)."""
    valid = enc(small())
    # Truncated: at the start, inside a key, inside a string, inside a
    # number, inside a multi-byte UTF-8 character, just before the last '}'.
    chinese = valid.index("长".encode("utf-8"))
    number = valid.index(b'"volume":5') + len(b'"volume":')
    cuts = {"empty": (0, "'[' or '{' expected near end of file"),
            "one-brace": (1, "string or '}' expected near end of file"),
            "in-key": (5, "premature end of input"),
            "in-multibyte": (chinese + 1, "unable to decode byte 0xe9"),
            "after-colon": (number, "unexpected token near end of file"),
            "before-last-brace": (len(valid) - 1, "'}' expected near end of file"),
            "in-string": (chinese + 3, "premature end of input")}
    for label, (cut, text) in cuts.items():
        c.bad("truncated-" + label, valid[:cut], "pos", text)
    c.bad("whitespace-only", b" \n\t\n", "pos", "expected near end of file")
    c.bad("trailing-comma-object",
          b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[],}',
          "pos", "string or '}' expected")
    c.bad("trailing-comma-array",
          b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[1,]}',
          "pos", "unexpected token")
    c.bad("comment-line",
          b'{"format":"chengyu/1", // comment\n"name":"x","enterprises":[],"links":[]}',
          "pos", "string or '}' expected near '/'")
    c.bad("comment-block",
          b'{"format":"chengyu/1", /* c */ "name":"x","enterprises":[],"links":[]}',
          "pos", "string or '}' expected near '/'")
    for token in ("NaN", "Infinity", "-Infinity"):
        c.bad("number-" + token.lower().lstrip("-") + ("-neg" if token[0] == "-" else ""),
              b'{"format":"chengyu/1","name":"x","enterprises":[{"id":"a","kind":"oem",'
              b'"output_value":' + token.encode() + b'}],"links":[]}',
              "pos", "invalid token")
    c.bad("bom-utf8", b"\xef\xbb\xbf" + valid, "pos", "starts with a UTF-8 byte order mark")
    c.bad("utf16-le-bom", b"\xff\xfe" + small_text().encode("utf-16-le"), "pos",
          "unable to decode byte")
    c.bad("utf16-be", small_text().encode("utf-16-be"), "pos", "expected")
    c.bad("utf32-le", small_text().encode("utf-32-le"), "pos", "expected")
    invalid_utf8 = {
        "overlong-slash": b"\xc0\xaf", "lone-continuation": b"\x80",
        "truncated-sequence": b"\xe9\x95", "byte-ff": b"\xff",
        "encoded-surrogate": b"\xed\xa0\x80", "above-10ffff": b"\xf4\x90\x80\x80",
        "overlong-nul": b"\xc0\x80",
    }
    for label, raw in invalid_utf8.items():
        c.bad("utf8-" + label,
              b'{"format":"chengyu/1","name":"a' + raw + b'b","enterprises":[],"links":[]}',
              "pos", "invalid UTF-8: unable to decode byte")
        c.bad("utf8-key-" + label,
              b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[],"k' + raw + b'":1}',
              "pos", "invalid UTF-8: unable to decode byte")
    for label, esc in {"high": r"\ud800", "low": r"\udc00", "high-then-ascii": r"\ud800\u0041",
                       "reversed-pair": r"\udc00\ud800"}.items():
        c.bad("surrogate-" + label,
              ('{"format":"chengyu/1","name":"x%s","enterprises":[],"links":[]}' % esc).encode(),
              "pos", "invalid Unicode")
    # Raw control bytes inside strings, including a terminal escape sequence
    # (ESC [ 2 J clears the screen; ESC ] 0 ; sets the window title) and a
    # C1 CSI (U+009B, bytes C2 9B) that some terminals obey.
    for label, raw in {"esc-clear": b"\x1b[2J\x1b[31m", "osc-title": b"\x1b]0;pwned\x07",
                       "newline": b"line1\nline2", "tab": b"a\tb", "bell": b"\x07",
                       "nul": b"a\x00b", "backspace": b"\x08\x08\x08"}.items():
        c.bad("control-" + label,
              b'{"format":"chengyu/1","name":"' + raw + b'","enterprises":[],"links":[]}',
              "pos", "unexpected newline" if label == "newline" else "control character")
    c.bad("escaped-nul-value",
          b'{"format":"chengyu/1","name":"a\\u0000b","enterprises":[],"links":[]}',
          "pos", "string contains a NUL character (\\u0000)")
    c.bad("escaped-nul-key",
          b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[],"a\\u0000":1}',
          "pos", "NUL byte in object key not supported")
    c.bad("number-1e400",
          b'{"format":"chengyu/1","name":"x","enterprises":[{"id":"a","kind":"oem",'
          b'"output_value":1e400}],"links":[]}', "pos", "real number overflow")
    c.bad("number-neg-1e400-in-meta",
          b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[],"meta":[-1e400]}',
          "pos", "real number overflow")
    c.bad("number-2pow64",
          b'{"format":"chengyu/1","name":"x","enterprises":[{"id":"a","kind":"oem",'
          b'"tier":18446744073709551616}],"links":[]}', "pos", "too big integer")
    c.bad("number-2pow63",
          b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[],'
          b'"meta":9223372036854775808}', "pos", "too big integer")
    c.bad("number-neg-2pow63-minus-1",
          b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[],'
          b'"meta":-9223372036854775809}', "pos", "too big negative integer")
    c.bad("number-leading-zero",
          b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[],"meta":012}',
          "pos", "invalid token")
    c.bad("number-hex",
          b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[],"meta":0x10}',
          "pos", "'}' expected near 'x'")
    c.bad("single-quotes", b"{'format':'chengyu/1'}", "pos", "string or '}' expected near")
    c.bad("unquoted-key", b'{format:"chengyu/1"}', "pos", "string or '}' expected")
    c.bad("two-documents", valid + b"\n" + valid, "pos", "end of file expected")
    c.bad("nested-100k-arrays", b"[" * BIG + b"]" * BIG, "pos",
          "nesting deeper than 2048 levels")
    c.bad("nested-100k-objects", b'{"a":' * BIG + b"1" + b"}" * BIG, "pos",
          "nesting deeper than 2048 levels")
    c.bad("nested-100k-in-meta",
          b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[],"meta":'
          + b"[" * BIG + b"]" * BIG + b"}", "pos", "nesting deeper than 2048 levels")
    c.bad("nested-100k-unclosed", b"[" * BIG, "pos", "nesting deeper than 2048 levels")
    c.bad("duplicate-key-top",
          b'{"format":"chengyu/1","name":"x","name":"y","enterprises":[],"links":[]}',
          "pos", "duplicate object key")
    c.bad("duplicate-key-record",
          b'{"format":"chengyu/1","name":"x","enterprises":[{"id":"a","id":"b",'
          b'"kind":"oem"}],"links":[]}', "pos", "duplicate object key")
    c.bad("duplicate-key-meta",
          b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[],'
          b'"meta":{"k":1,"k":2}}', "pos", "duplicate object key")
    # Top-level values other than an object.
    c.bad("top-null", b"null", "pos", "expected")
    c.bad("top-string", b'"chengyu/1"', "pos", "expected")
    c.bad("top-array", b"[]", "path", "expected a chengyu/1 object at the top level")


def small_text():
    return enc(small()).decode("utf-8")


def rules(c):
    """Valid JSON that breaks a rule of chengyu/1 at a known path."""
    c.bad("share-underflows-to-zero",
          enc(doc([{"id": "a", "kind": "oem"}, {"id": "b", "kind": "supplier"}], []))
          .replace(b'"links":[]', b'"links":[{"from":"b","to":"a","part":"p","share":1e-400}]'),
          "path", "$.links[0].share: must be in (0, 1], got 0")
    c.bad("tier-2pow63-minus-1",
          enc(doc([{"id": "a", "kind": "oem", "tier": 2**63 - 1}], [])),
          "path", "$.enterprises[0].tier: tier must be in [0, 1000]")
    # Hostile text inside values that the loader quotes in its messages.
    c.bad("escape-in-unknown-ref",
          enc(doc([{"id": "a", "kind": "oem"}],
                  [{"from": "\x1b]0;pwned\x07\x1b[2J", "to": "a", "part": "p"}])),
          "path", "$.links[0].from: unknown enterprise")
    c.bad("c1-in-unknown-key",
          enc(doc([{"id": "a", "kind": "oem", "\u009b31m\u001b[5m": 1}], [])),
          "path", "$.enterprises[0][")
    c.bad("escape-in-duplicate-id",
          enc(doc([{"id": "\x1b[31mred", "kind": "oem"}, {"id": "\x1b[31mred", "kind": "oem"}], [])),
          "path", "$.enterprises[1].id: duplicate id")
    c.bad("id-10mb", enc(doc([{"id": "x" * TEN_MB, "kind": "oem"}], [])),
          "path", "$.enterprises[0].id: id \"xxxx")
    c.bad("unknown-ref-10mb",
          enc(doc([{"id": "a", "kind": "oem"}], [{"from": "y" * TEN_MB, "to": "a", "part": "p"}])),
          "path", "$.links[0].from: unknown enterprise \"yyyy")
    # Unicode forms: ids are compared byte for byte, so a link that names
    # the NFD spelling does not find an enterprise declared in NFC.
    nfc = unicodedata.normalize("NFC", "café-重庆")
    nfd = unicodedata.normalize("NFD", "café-重庆")
    assert nfc != nfd
    c.bad("unicode-nfd-ref-to-nfc-id",
          enc(doc([{"id": nfc, "kind": "oem"}, {"id": "s", "kind": "supplier"}],
                  [{"from": "s", "to": nfd, "part": "p"}])),
          "path", "$.links[0].to: unknown enterprise")
    # 100,000 links that each repeat the same (from, to, part): the report
    # stops at the error limit instead of listing (or walking) them all.
    c.bad("duplicate-links-100k",
          enc(doc([{"id": "a", "kind": "oem"}, {"id": "b", "kind": "supplier"}],
                  [{"from": "b", "to": "a", "part": "p"}] * BIG)),
          "path", "stopped after 50 errors")
    # The demand and stress fields (docs/format.md, "Derived values").
    c.bad("capacity-below-output",
          enc(doc([{"id": "a", "kind": "oem", "output_value": 100, "capacity": 99.5},
                   {"id": "b", "kind": "supplier"}],
                  [{"from": "b", "to": "a", "part": "p", "volume": 5}])),
          "path", "$.enterprises[0].capacity: capacity 99.5 of \"a\" is below its "
                  "output_value 100")
    c.bad("capacity-below-derived-output",
          enc(doc([{"id": "a", "kind": "oem"},
                   {"id": "b", "kind": "supplier", "final_demand": 1, "capacity": 5}],
                  [{"from": "b", "to": "a", "part": "p", "volume": 5}])),
          "path", "$.enterprises[1].capacity: capacity 5 of \"b\" is below its output 6 "
                  "(the volumes of its outgoing links, 5, plus its final demand, 1)")
    c.bad("recovery-days-zero",
          enc(doc([{"id": "a", "kind": "oem", "recovery_days": 0}], [])),
          "path", "$.enterprises[0].recovery_days: must be > 0, got 0")
    c.bad("inventory-days-negative",
          enc(doc([{"id": "a", "kind": "oem", "inventory_days": -1e-300}], [])),
          "path", "$.enterprises[0].inventory_days: must be >= 0, got -1e-300")
    c.bad("final-demand-string",
          enc(doc([{"id": "a", "kind": "oem", "final_demand": "1e9"}], [])),
          "path", "$.enterprises[0].final_demand: expected a number, got a string")
    c.bad("currency-symbol",
          enc(doc([], [], currency="\u00a5")),
          "path", "$.currency: currency \"\u00a5\" is not an ISO 4217 code")
    c.bad("inside-null",
          enc(doc([], [], regions=[{"id": "r", "inside": None}])),
          "path", "$.regions[0].inside: expected true or false, got null")
    # Stricter links (format.md): a part the customer's explicit requires
    # does not list, with the nearest listed part suggested; shares of one
    # (customer, part) over 1; an unknown id one edit from a real one.
    c.bad("part-not-required-typo",
          enc(doc([{"id": "car", "kind": "oem", "requires": ["battery-pack"]},
                   {"id": "pack", "kind": "supplier"}],
                  [{"from": "pack", "to": "car", "part": "battery_pack"}])),
          "path", "$.links[0].part: \"car\" does not list part \"battery_pack\" in "
                  "its requires; did you mean \"battery-pack\"?")
    c.bad("shares-sum-1.4",
          enc(doc([{"id": "car", "kind": "oem"}, {"id": "a", "kind": "supplier"},
                   {"id": "b", "kind": "supplier"}],
                  [{"from": "a", "to": "car", "part": "p", "share": 0.6},
                   {"from": "b", "to": "car", "part": "p", "share": 0.8}])),
          "path", "$.links[0].share: the shares of part \"p\" delivered to \"car\" "
                  "sum to 1.4, more than 1: $.links[0] (0.6), $.links[1] (0.8)")
    c.bad("unknown-ref-suggestion",
          enc(doc([{"id": "cq-powersemi-a", "kind": "supplier"},
                   {"id": "car", "kind": "oem"}],
                  [{"from": "cq-powersemi_a", "to": "car", "part": "igbt"}])),
          "path", "$.links[0].from: unknown enterprise \"cq-powersemi_a\"; did you "
                  "mean \"cq-powersemi-a\"?")
    # 100,000 shares of one (customer, part), all 1: the message lists 8.
    c.bad("shares-100k-one-part",
          enc(doc([{"id": "oem", "kind": "oem"}] +
                  [{"id": "s%d" % k, "kind": "supplier"} for k in range(BIG)],
                  [{"from": "s%d" % k, "to": "oem", "part": "p", "share": 1}
                   for k in range(BIG)])),
          "path", "sum to 100000, more than 1: $.links[0] (1), $.links[1] (1)")
    # 100,000 unknown references in one enterprise's cluster list.
    c.bad("unknown-clusters-100k",
          enc(doc([{"id": "a", "kind": "oem", "clusters": ["c%d" % k for k in range(BIG)]}], [])),
          "path", "$.enterprises[0].clusters[0]: unknown cluster")


def hostile_valid(c):
    """Large or strange documents that are nevertheless valid chengyu/1."""
    # 100,000 enterprises with one link each: 50,000 supplier -> OEM pairs.
    half = BIG // 2
    ents = [{"id": "o%d" % k, "kind": "oem"} for k in range(half)]
    ents += [{"id": "s%d" % k, "kind": "supplier"} for k in range(half)]
    links = [{"from": "s%d" % k, "to": "o%d" % k, "part": "p"} for k in range(half)]
    c.good("pairs-100k", enc(doc(ents, links)), "ok: %d enterprises, %d links" % (BIG, half))
    # A star: one OEM with 100,000 suppliers, each of a different part, and
    # the OEM's bill of materials listing all 100,000 parts.
    ents = [{"id": "oem", "kind": "oem", "requires": ["p%d" % k for k in range(BIG)]}]
    ents += [{"id": "s%d" % k, "kind": "supplier", "produces": ["p%d" % k]} for k in range(BIG)]
    links = [{"from": "s%d" % k, "to": "oem", "part": "p%d" % k} for k in range(BIG)]
    c.good("star-100k-parts", enc(doc(ents, links)),
           "ok: %d enterprises, %d links" % (BIG + 1, BIG))
    # One customer sourcing one part from 100,000 suppliers.
    ents = [{"id": "oem", "kind": "oem", "requires": ["p"]}]
    ents += [{"id": "s%d" % k, "kind": "supplier"} for k in range(BIG)]
    links = [{"from": "s%d" % k, "to": "oem", "part": "p"} for k in range(BIG)]
    c.good("star-100k-one-part", enc(doc(ents, links)),
           "ok: %d enterprises, %d links" % (BIG + 1, BIG))
    # 100,000 clusters, all listed by one enterprise.
    clusters = [{"id": "c%d" % k} for k in range(BIG)]
    ents = [{"id": "a", "kind": "oem", "clusters": ["c%d" % k for k in range(BIG)]},
            {"id": "b", "kind": "supplier"}]
    c.good("clusters-100k", enc(doc(ents, [{"from": "b", "to": "a", "part": "p"}],
                                    clusters=clusters)),
           "ok: 2 enterprises, 1 links")
    # 10 MB names: a network name and an enterprise name (names, unlike ids,
    # have no length limit).
    ents = [{"id": "a", "kind": "oem", "name": "名" * (TEN_MB // 3)},
            {"id": "b", "kind": "supplier", "name": "n" * TEN_MB}]
    big = doc(ents, [{"from": "b", "to": "a", "part": "p"}])
    big["name"] = "N" * TEN_MB
    c.good("name-10mb", enc(big), "ok: 2 enterprises, 1 links")
    # Ids that differ only in Unicode normalisation form are different ids.
    pairs = [("café", "NFC", "NFD"), ("한국", "NFC", "NFD"), ("ﬁ", "NFC", "NFKC")]
    ents, links = [], []
    for k, (word, f1, f2) in enumerate(pairs):
        a, b = unicodedata.normalize(f1, word), unicodedata.normalize(f2, word)
        assert a != b
        ents += [{"id": a, "kind": "oem"}, {"id": b, "kind": "supplier"}]
        links.append({"from": b, "to": a, "part": "p%d" % k})
    c.good("unicode-forms", enc(doc(ents, links)), "ok: 6 enterprises, 3 links")
    # Terminal escapes in names and meta of a valid file: validate prints
    # only counts, so nothing of them reaches the terminal.
    c.good("escapes-in-names",
           enc(doc([{"id": "a", "kind": "oem", "name": "\x1b[2J\x1b]0;t\x07\u009b"},
                    {"id": "b", "kind": "supplier"}],
                   [{"from": "b", "to": "a", "part": "p"}], meta={"\x1b": "\x1b"})),
           "ok: 2 enterprises, 1 links")
    # Nesting just under the parser's limit (2048), inside meta.
    depth = 2000
    nested = b"[" * depth + b"]" * depth
    c.good("meta-nested-2000",
           enc(small()).replace(b'"links":[', b'"meta":' + nested + b',"links":['),
           "ok: 2 enterprises, 1 links")
    # Every demand and stress field, a region outside the circle and a
    # currency other than the default.
    c.good("stress-fields",
           enc(doc([{"id": "a", "kind": "oem", "region": "in", "output_value": 10,
                     "final_demand": 10, "capacity": 12, "inventory_days": 0,
                     "recovery_days": 0.5},
                    {"id": "b", "kind": "supplier", "region": "out", "capacity": 5e-324,
                     "inventory_days": 1e300}],
                   [{"from": "b", "to": "a", "part": "p"}],
                   currency="EUR",
                   regions=[{"id": "in"}, {"id": "out", "inside": False}])),
           "ok: 2 enterprises, 1 links")
    # Extreme but finite numbers.
    c.good("numbers-extreme",
           enc(doc([{"id": "a", "kind": "oem", "output_value": 1.7976931348623157e308, "tier": 1000},
                    {"id": "b", "kind": "supplier", "output_value": 5e-324, "tier": 0}],
                   [{"from": "b", "to": "a", "part": "p", "volume": 1.7976931348623157e308,
                     "share": 5e-324}], meta=[-9223372036854775808, 9223372036854775807, -0.0])),
           "ok: 2 enterprises, 1 links")
    # DEL and C1 controls are legal in JSON strings (RFC 8259 forbids only
    # U+0000..U+001F unescaped).
    c.good("raw-del-and-c1",
           b'{"format":"chengyu/1","name":"\x7f\xc2\x9b31m","enterprises":[],"links":[]}',
           "ok: 0 enterprises, 0 links")
    # Escaped non-characters and astral characters are valid text.
    c.good("unicode-escapes",
           b'{"format":"chengyu/1","name":"\\ud834\\udd1e\\uffff\\ufdd0\\u00e9",'
           b'"enterprises":[],"links":[]}', "ok: 0 enterprises, 0 links")


def fnv1a_flood_ids(steps, bits=20):
    """2**steps distinct ids whose unkeyed FNV-1a hashes agree in the low
    `bits` bits (the slot of a table of up to 2**bits entries).

    FNV-1a's low bits depend only on the low bits of its state, so collide
    blocks one at a time: find two 3-character blocks that take the state
    to the same value, append either, repeat.  The loader once used this
    hash unkeyed; each insertion then walked all earlier colliding ids
    (quadratic).  With a keyed hash these are ordinary ids."""
    prime, mask = 1099511628211, (1 << bits) - 1
    alphabet = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    state = 1469598103934665603 & mask
    choices = []
    for _ in range(steps):
        seen = {}
        for a in alphabet:
            for b in alphabet:
                for c in alphabet:
                    s = state
                    for byte in (a, b, c):
                        s = ((s ^ byte) * prime) & mask
                    block = bytes((a, b, c))
                    if s in seen:
                        choices.append((seen[s], block))
                        state = s
                        break
                    seen[s] = block
                else:
                    continue
                break
            else:
                continue
            break
    ids = [b""]
    for first, second in choices:
        ids = [x + first for x in ids] + [x + second for x in ids]
    return [x.decode("ascii") for x in ids]


def flood(c):
    ids = fnv1a_flood_ids(15)
    ents = [{"id": i, "kind": "supplier"} for i in ids]
    links = [{"from": ids[k], "to": ids[k - 1], "part": "p"} for k in range(1, len(ids))]
    c.good("hash-flood-ids", enc(doc(ents, links)),
           "ok: %d enterprises, %d links" % (len(ids), len(ids) - 1))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_corpus.py OUTDIR")
    c = Corpus(sys.argv[1])
    malformed(c)
    rules(c)
    hostile_valid(c)
    flood(c)
    c.finish()


if __name__ == "__main__":
    main()
