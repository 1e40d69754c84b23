#!/usr/bin/env python3
"""Shipping tests (ctest ship.*): docs agree with --help, shell completions, install and the .deb.

  ship_test.py flags    --bin DIR --man DIR --source DIR
      The long flags of each binary's --help, of its generated man page (OPTIONS) and of README.md's flag
      tables ("Both binaries:" plus the binary's own table) are the same sets.
  ship_test.py bash     --bin DIR --completions DIR --source DIR
      The generated bash completions, sourced in bash with COMP_WORDS/COMP_CWORD set, offer the right words.
  ship_test.py zsh      --bin DIR --completions DIR --source DIR
      The zsh completions parse; their value function offers formats and database names (completion
      builtins stubbed); and Tab in an interactive zsh (zpty, compinit) offers the right words.
      Skipped (exit 77) without zsh.
  ship_test.py prefix   --build DIR --source DIR
      `cmake --install` into a temporary prefix: files in place, man pages render, installed binaries work.
  ship_test.py deb      --build DIR --source DIR
      `cpack -G DEB`, Depends declared, `dpkg-deb -x` into a scratch root, extracted binaries work.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILURES = []
PROGRAMS = ("dateline-index", "dateline-search")


def check(ok, message):
    if not ok:
        FAILURES.append(message)
        print("FAIL: " + message, file=sys.stderr)


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, **kw)


# ---- flags --------------------------------------------------------------------------------------------

def help_flags(binary):
    out = run([binary, "--help"]).stdout
    # Option lines start at column 2 ("  -v, --verbose") or 6 ("      --db PATH"); wrapped descriptions
    # are indented to the description column, further right.
    return set(re.findall(r"^ {2,6}(?:-\w, )?(--[A-Za-z0-9][\w-]*)", out, re.M))


def man_flags(page):
    text = open(page, encoding="utf-8").read()
    m = re.search(r"^\.SH OPTIONS\n(.*?)(?=^\.SH )", text, re.M | re.S)
    if not m:
        return set()
    flags = set()
    lines = m.group(1).split("\n")
    for i, line in enumerate(lines):
        if line == ".TP" and i + 1 < len(lines):
            for f in re.findall(r"\\fB\\-\\-([\w\\-]+)\\fR", lines[i + 1]):
                flags.add("--" + f.replace("\\-", "-"))
    return flags


def readme_flags(readme, program):
    text = open(readme, encoding="utf-8").read()
    common = re.search(r"^Both binaries:(.*?)\n\n", text, re.M | re.S)
    flags = set(re.findall(r"`(--[A-Za-z0-9][\w-]*)", common.group(1))) if common else set()
    start = re.search(r"^`" + re.escape(program) + r" \[OPTIONS\][^\n]*\n\n", text, re.M)
    if not start:
        return flags
    for line in text[start.end():].split("\n"):
        if not line.startswith("|"):
            break
        first = line.split("|")[1]
        flags |= set(re.findall(r"`(--[A-Za-z0-9][\w-]*)", first))
    return flags


def test_flags(args):
    readme = os.path.join(args.source, "README.md")
    for program in PROGRAMS:
        h = help_flags(os.path.join(args.bin, program))
        m = man_flags(os.path.join(args.man, program + ".1"))
        r = readme_flags(readme, program)
        check(len(h) >= 10, f"{program} --help: only {sorted(h)}")
        check(h == m, f"{program}: --help and man page differ: only in --help {sorted(h - m)}, "
                      f"only in the man page {sorted(m - h)}")
        check(h == r, f"{program}: --help and README.md's flag tables differ: only in --help {sorted(h - r)}, "
                      f"only in README.md {sorted(r - h)}")


# ---- completions --------------------------------------------------------------------------------------

def index_fixtures(binary_dir, source, where):
    db = os.path.join(where, "db")
    r = run([os.path.join(binary_dir, "dateline-index"), "-q", "--db", db,
             os.path.join(source, "index-fixtures", "articles")])
    if r.returncode not in (0, 1):
        sys.exit(f"dateline-index failed ({r.returncode}): {r.stderr}")
    return db


BASH_DRIVER = r'''
source "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
"$FUNC"
printf '%s\n' "${COMPREPLY[@]}"
'''


def bash_complete(script, func, words):
    r = run(["bash", "--norc", "--noprofile", "-c", BASH_DRIVER, "driver", script] + words,
            env=dict(os.environ, FUNC=func))
    check(r.returncode == 0 and r.stderr == "", f"bash completion {words}: exit {r.returncode}, {r.stderr}")
    return [l for l in r.stdout.split("\n") if l]


def test_bash(args):
    search = os.path.join(args.bin, "dateline-search")
    index = os.path.join(args.bin, "dateline-index")
    s_script = os.path.join(args.completions, "bash", "dateline-search")
    i_script = os.path.join(args.completions, "bash", "dateline-index")
    with tempfile.TemporaryDirectory() as tmp:
        db = index_fixtures(args.bin, args.source, tmp)

        def s(*words):
            return bash_complete(s_script, "_dateline_search", [search] + list(words))

        def expect(got, want, what):
            check(got == want, f"{what}: expected {want}, got {got}")

        expect(s("--for"), ["--format"], "--for")
        expect(s("--format", "j"), ["json", "jsonl"], "--format j")
        expect(s("--format", "=", "j"), ["json", "jsonl"], "--format=j")
        expect(s("--sort", "-"), ["-date"], "--sort -")
        expect(s("--db", db, "--outlet", ""), ["Newsweek", "Pravda.Ru", "The\\ Washington\\ Times"],
               "--outlet (the fixture outlets)")
        expect(s("--db", "=", db, "--outlet", "Th"), ["The\\ Washington\\ Times"], "--db=DB --outlet Th")
        expect(s("--db", db, "--outlet", "The\\ W"), ["The\\ Washington\\ Times"], "--outlet The\\ W")
        expect(s("--db", db, "--speaker", "Vik"), ["Viktor\\ Gulevich", "Viktor\\ Khrenin"], "--speaker Vik")
        expect(s("--db", db, "--outlet", "news"), ["Newsweek"], "--outlet news (any case, as --outlet matches)")
        expect(s("--db", db, "--author", "D"), ["David\\ R.\\ Sands"], "--author D")
        expect(s("--db", db, "--since", ""), ["2022", "2023"], "--since (years)")
        expect(s("--db", db, "--list", "sp"), ["speakers"], "--list sp")
        expect(s("--limit", ""), [], "--limit (a number)")
        expect(s("--db", db, "troop", ""), [], "a query word")
        # $DATELINE_DB is the binary's own default: the completion runs the binary, which reads it.
        r = run(["bash", "--norc", "--noprofile", "-c", BASH_DRIVER, "driver", s_script, search, "--outlet", "N"],
                env=dict(os.environ, FUNC="_dateline_search", DATELINE_DB=db))
        expect(r.stdout.split(), ["Newsweek"], "--outlet N with $DATELINE_DB")
        # Every flag of --help, and every value offered is one the binary takes.
        expect(set(s("--")), help_flags(search), "-- (every flag of --help)")
        for flag, values in (("--format", s("--format", "")), ("--sort", s("--sort", "")),
                             ("--facet", s("--facet", "")), ("--match", s("--match", "")),
                             ("--color", s("--color", ""))):
            check(len(values) >= 2, f"{flag}: offered {values}")
            for v in values:
                r = run([search, "--db", db, "--count", flag, v, "troop"])
                check(r.returncode in (0, 1), f"completion offers {flag} {v}, which dateline-search refuses: "
                                              f"{r.stderr.strip()}")
        for v in s("--list", ""):
            r = run([search, "--db", db, "--list", v])
            check(r.returncode == 0, f"completion offers --list {v}, which fails: {r.stderr.strip()}")

        # Names from a database are offered quoted and never expanded by the shell.
        hostile = os.path.join(tmp, "hostile.jsonl")
        marker = os.path.join(tmp, "pwned")
        with open(hostile, "w", encoding="utf-8") as f:
            f.write('{"id": "x1", "title": "T", "text": "Some troops.", "outlet": "$(touch %s) `id` $HOME"}\n'
                    % marker)
        hdb = os.path.join(tmp, "hostile-db")
        run([index, "-q", "--db", hdb, hostile])
        got = s("--db", hdb, "--outlet", "")
        expect(got, [subprocess.run(["bash", "-c", 'printf %q "$1"', "_", "$(touch %s) `id` $HOME" % marker],
                                    capture_output=True, text=True).stdout], "a hostile outlet name, quoted")
        check(not os.path.exists(marker), "a name from the database was executed by the completion")

        def i(*words):
            return bash_complete(i_script, "_dateline_index", [index] + list(words))

        expect(i("--lang"), ["--language"], "dateline-index --lang")
        expect(i("--language", "eng"), ["english"], "dateline-index --language eng")
        expect(set(i("--")), help_flags(index), "dateline-index -- (every flag of --help)")
        fixtures = os.path.join(args.source, "index-fixtures", "arti")
        expect(i(fixtures), [fixtures + "cles"], "dateline-index inputs are file names")
        languages = i("--language", "")
        check("none" in languages and "russian" in languages, f"--language offers {languages}")
        for v in languages:  # each one dateline-index takes (Xapian 1.4's Snowball stemmers)
            r = run([index, "--dry-run", "--language", v, os.devnull])
            check("--language" not in r.stderr, f"completion offers --language {v}: {r.stderr.strip()}")


ZSH_DRIVER = r'''
compadd() { if [[ $1 == -a ]]; then print -rl -- ${(P)2}; else print -rl -- "$@"; fi }
_call_program() { shift; eval "$*"; }
_arguments() { print -rl -- "$@" > "$SPECS"; }
_files() { print -r -- "files $*"; }
_message() { print -r -- "message $*"; }
source "$1"
shift
words=("$@")
CURRENT=$#words
_dateline-search_value "$FLAG"
'''


# Real completion: an interactive zsh in a pseudo-terminal (zpty) with compinit and the generated functions
# in $fpath; a Tab after the typed line; compadd wrapped to log the matches it adds. The next command line
# (echo DONE) runs only after the completion has finished.
ZPTY_DRIVER = r'''
zmodload zsh/zpty
zpty -b z 'zsh -f -i'
zpty -w z "fpath=(${(q)COMPLETIONS} \$fpath); autoload -Uz compinit; compinit -u -D; path=(${(q)BIN} \$path)"
zpty -w z "compadd() { local -a __o; builtin compadd -O __o \"\$@\"; print -rl -- \"\${__o[@]}\" >> ${(q)LOG}; builtin compadd \"\$@\"; }"
zpty -w z "echo READY >> ${(q)LOG}"
wait_for() {
  local i
  for i in {1..100}; do
    [[ -f $LOG ]] && grep -q "$1" $LOG && return 0
    sleep 0.1
  done
  return 1
}
wait_for '^READY$'
# Completion is skipped while input is pending: type the line and Tab alone, wait for the matches.
zpty -n -w z "$LINE"$'\t'
wait_for '^[^R]' || wait_for '^R[^E]'
sleep 0.3
zpty -w z $'\C-u'
zpty -w z "echo DONE >> ${(q)LOG}"
wait_for '^DONE$'
zpty -d z
'''


def zsh_tab(args, tmp, line):
    log = os.path.join(tmp, "zpty.log")
    if os.path.exists(log):
        os.remove(log)
    env = dict(os.environ, COMPLETIONS=os.path.join(args.completions, "zsh"), BIN=args.bin, LOG=log, LINE=line)
    r = run(["zsh", "-f", "-c", ZPTY_DRIVER], env=env, timeout=60)
    got = open(log, encoding="utf-8").read().split("\n") if os.path.exists(log) else []
    check("DONE" in got, f"zsh (zpty) {line!r}: the completion did not finish: {r.stderr}")
    return sorted({l for l in got if l and l not in ("DONE", "READY")})


def test_zsh(args):
    if shutil.which("zsh") is None:
        print("zsh is not installed: skipped")
        sys.exit(77)
    search = os.path.join(args.bin, "dateline-search")
    for program in PROGRAMS:
        script = os.path.join(args.completions, "zsh", "_" + program)
        r = run(["zsh", "-n", script])
        check(r.returncode == 0, f"zsh -n {script}: {r.stderr}")
    script = os.path.join(args.completions, "zsh", "_dateline-search")
    with tempfile.TemporaryDirectory() as tmp:
        db = index_fixtures(args.bin, args.source, tmp)
        specs = os.path.join(tmp, "specs")

        def z(flag, *words):
            r = run(["zsh", "-f", "-c", ZSH_DRIVER, "driver", script, search] + list(words),
                    env=dict(os.environ, FLAG=flag, SPECS=specs))
            check(r.returncode == 0 and r.stderr == "", f"zsh {flag} {words}: {r.returncode} {r.stderr}")
            return [l for l in r.stdout.split("\n") if l]

        check(z("--format", "--format", "") == ["text", "json", "jsonl", "tsv", "ids", "trec"], "zsh --format")
        got = z("--outlet", "--db", db, "--outlet", "")
        check(got == ["Newsweek", "Pravda.Ru", "The Washington Times"], f"zsh --outlet: {got}")
        got = z("--speaker", "--db=" + db, "--speaker", "")
        check("Viktor Gulevich" in got and len(got) == 17, f"zsh --speaker: {got}")
        spec_flags = set(re.findall(r"^\*(--[\w-]+)", open(specs, encoding="utf-8").read(), re.M))
        check(spec_flags == help_flags(search), f"zsh specs {sorted(spec_flags)} != --help flags")

        # In a real interactive zsh.
        for line, want in ((f"dateline-search --db {db} --outlet ", ["Newsweek", "Pravda.Ru", "The Washington Times"]),
                           ("dateline-search --form", ["--format"]),
                           ("dateline-search --format j", ["json", "jsonl"]),
                           (f"dateline-search --db={db} --author Dav", ["David R. Sands"]),
                           ("dateline-index --lang", ["--language"]),
                           ("dateline-index --language rus", ["russian"])):
            got = zsh_tab(args, tmp, line)
            check(got == want, f"zsh (zpty) {line!r}: expected {want}, got {got}")


# ---- install and package --------------------------------------------------------------------------------

def check_binaries(bindir, source, tmp, what):
    """The binaries in `bindir` index the fixtures and answer a search and --list exactly."""
    db = os.path.join(tmp, "db-" + what)
    r = run([os.path.join(bindir, "dateline-index"), "-q", "--db", db, os.path.join(source, "index-fixtures",
                                                                                      "articles")])
    check(r.returncode in (0, 1), f"{what}: dateline-index exit {r.returncode}: {r.stderr}")
    r = run([os.path.join(bindir, "dateline-search"), "--db", db, "--format", "ids", "--limit", "100",
             "--sort", "date", "troop"])
    check(r.returncode == 0 and len(r.stdout.split()) == 4, f"{what}: search troop: {r.returncode} {r.stdout}")
    want = open(os.path.join(source, "index-fixtures", "expected", "cli", "search_list_outlets.out"),
                encoding="utf-8").read()
    r = run([os.path.join(bindir, "dateline-search"), "--db", db, "--list", "outlets"])
    check(r.stdout == want, f"{what}: --list outlets: {r.stdout!r}")
    for program in PROGRAMS:
        r = run([os.path.join(bindir, program), "--version"])
        check(r.returncode == 0 and r.stdout.startswith(program + " ") and "\nXapian " in r.stdout,
              f"{what}: {program} --version: {r.stdout!r}")


def check_tree(root, what):
    for rel in ("bin/dateline-index", "bin/dateline-search", "share/man/man1/dateline-index.1",
                "share/man/man1/dateline-search.1", "share/bash-completion/completions/dateline-index",
                "share/bash-completion/completions/dateline-search", "share/zsh/vendor-completions/_dateline-index",
                "share/zsh/vendor-completions/_dateline-search", "share/doc/dateline/README.md"):
        check(os.path.isfile(os.path.join(root, rel)), f"{what}: {rel} missing")
    for program in PROGRAMS:
        check(os.access(os.path.join(root, "bin", program), os.X_OK), f"{what}: bin/{program} not executable")
        page = os.path.join(root, "share", "man", "man1", program + ".1")
        if shutil.which("man") and os.path.isfile(page):
            r = run(["man", "-l", page], env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"))
            check(r.returncode == 0 and program + " - " in r.stdout and "EXIT STATUS" in r.stdout
                  and "EXAMPLES" in r.stdout, f"{what}: man -l {page}: {r.returncode} {r.stderr}")


def test_prefix(args):
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "prefix")
        r = run(["cmake", "--install", args.build, "--prefix", prefix])
        check(r.returncode == 0, f"cmake --install: {r.stdout} {r.stderr}")
        check_tree(prefix, "cmake --install")
        check_binaries(os.path.join(prefix, "bin"), args.source, tmp, "installed")


def test_deb(args):
    with tempfile.TemporaryDirectory() as tmp:
        r = run(["cpack", "-G", "DEB", "-B", tmp, "--config", os.path.join(args.build, "CPackConfig.cmake")])
        debs = glob.glob(os.path.join(tmp, "*.deb"))
        if r.returncode != 0 or len(debs) != 1:
            check(False, f"cpack -G DEB: exit {r.returncode}, {debs}: {r.stdout[-2000:]} {r.stderr}")
            return
        deb = debs[0]
        check(re.match(r"dateline_\d+\.\d+\.\d+_\w+\.deb$", os.path.basename(deb)), f"package name {deb}")
        info = run(["dpkg-deb", "-I", deb]).stdout
        fields = dict(re.findall(r"^ (\w[\w-]*): (.*)$", info, re.M))
        check(fields.get("Package") == "dateline", f"Package: {fields.get('Package')}")
        check(fields.get("Maintainer", "") != "", "no Maintainer")
        depends = fields.get("Depends", "")
        for lib in ("libxapian30", "libicu72", "libc6", "libstdc++6"):
            check(re.search(r"(^|, )" + re.escape(lib) + r"( |,|$)", depends) is not None,
                  f"Depends does not declare {lib}: {depends!r}")
        root = os.path.join(tmp, "root")
        r = run(["dpkg-deb", "-x", deb, root])
        check(r.returncode == 0, f"dpkg-deb -x: {r.stderr}")
        check_tree(os.path.join(root, "usr"), "the .deb")
        check_binaries(os.path.join(root, "usr", "bin"), args.source, tmp, "from the .deb")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("test", choices=["flags", "bash", "zsh", "prefix", "deb"])
    p.add_argument("--bin")
    p.add_argument("--man")
    p.add_argument("--completions")
    p.add_argument("--build")
    p.add_argument("--source", required=True)
    args = p.parse_args()
    {"flags": test_flags, "bash": test_bash, "zsh": test_zsh, "prefix": test_prefix, "deb": test_deb}[args.test](args)
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)", file=sys.stderr)
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
