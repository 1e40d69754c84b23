#!/usr/bin/env python3
"""Man pages and shell completions generated from a binary's own --help, so they cannot drift from it.

  docgen.py man BINARY INCLUDE OUT [--version V]
      OUT: a man(7) page. NAME and SYNOPSIS come from --help's first lines, OPTIONS from its option list
      (every flag, its argument and its description, per group); the other sections from INCLUDE, a
      hand-written file in help2man's include format: "[SECTION NAME]" lines, each followed by roff text.
      DESCRIPTION is placed before OPTIONS, every other section after it, in the file's order.
  docgen.py completion BINARY TEMPLATE OUT
      OUT: TEMPLATE with @FLAGS@ (every long flag), @ARG_FLAGS@ (long flags that take a value),
      @SHORT_FLAGS@ and @ZSH_SPECS@ (zsh _arguments specs; a flag with a value completes it with
      `_<binary>_value FLAG`, defined by the template) replaced.
  docgen.py flags BINARY
      Prints the long flags of --help, one per line (for tests).

The --help format is cxxopts': " GROUP options:" headers, option lines "  -v, --verbose  Description" or
"      --db PATH  Description", descriptions wrapped onto lines indented to the description column, then an
optional free-text epilogue.
"""
import argparse
import re
import subprocess
import sys

OPTION = re.compile(r"^( {2,})(?:-(\w), )?--([A-Za-z0-9][\w-]*)(?: (\S+))?( {2,}|$)(.*)$")
GROUP = re.compile(r"^ (\S.*) options:$")


def run_help(binary):
    out = subprocess.run([binary, "--help"], check=True, capture_output=True, text=True).stdout
    if not out.strip():
        sys.exit(f"docgen: {binary} --help printed nothing")
    return out


def parse_help(text):
    """{'summary', 'usage', 'groups': [(name, [option])]}; option: {'short','long','arg','desc'}."""
    lines = text.splitlines()
    summary = lines[0].strip()
    usage = ""
    for i, line in enumerate(lines):
        if line.strip() == "Usage:" and i + 1 < len(lines):
            usage = lines[i + 1].strip()
            break
        if line.startswith("Usage:"):
            usage = line[len("Usage:"):].strip()
            break
    groups = []
    current = None
    desc_col = None
    for line in lines:
        g = GROUP.match(line)
        if g:
            groups.append((g.group(1), []))
            current = None
            continue
        if not groups:
            continue
        m = OPTION.match(line)
        if m and (desc_col is None or current is None or len(m.group(1)) < desc_col):
            short, long_, arg, gap, desc = m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)
            current = {"short": short, "long": long_, "arg": arg, "desc": desc.strip()}
            desc_col = len(line) - len(desc) if desc else None
            groups[-1][1].append(current)
            continue
        if current is not None and line.strip() and desc_col is not None and \
                len(line) - len(line.lstrip(" ")) >= desc_col:
            current["desc"] += " " + line.strip()
            continue
        if line.strip() and not line.startswith(" "):
            break  # the epilogue
        current = None
    for _, options in groups:
        for o in options:
            o["desc"] = tidy_default(o["desc"])
    groups = [(name, options) for name, options in groups if options]
    if not groups:
        sys.exit("docgen: no options found in --help")
    return {"summary": summary, "usage": usage, "groups": groups}


def tidy_default(desc):
    """cxxopts appends "(default: X)": drop it when empty, or when the text already states the default
    (a build machine's value, such as its number of cores, does not belong in a man page)."""
    desc = re.sub(r"\s*\(default: \"\"\)$", "", desc)
    if desc.count("(default:") > 1:
        desc = re.sub(r"\s*\(default: [^()]*\)$", "", desc)
    return desc


def roff(text):
    """Plain text as roff: backslashes escaped, hyphens that start a word (flags, -date) as minus signs,
    no line starting with a control character."""
    text = text.replace("\\", "\\e")
    text = re.sub(r"(?<![\w\-])-", r"\\-", text)
    text = re.sub(r"(?<=\w)-(?=-)", r"\\-", text)
    return "\n".join("\\&" + l if l.startswith((".", "'")) else l for l in text.split("\n"))


def read_include(path):
    sections = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^\[([^\]]+)\]\s*$", line)
            if m:
                sections.append((m.group(1).strip().upper(), []))
            elif sections:
                sections[-1][1].append(line)
            elif line.strip() and not line.startswith(".\\\""):
                sys.exit(f"docgen: {path}: text before the first [SECTION]")
    return [(name, "\n".join(body).strip("\n")) for name, body in sections]


def man(args):
    help_ = parse_help(run_help(args.binary))
    name = args.binary.rsplit("/", 1)[-1]
    include = read_include(args.include)
    usage = help_["usage"]
    rest = usage[len(name):].strip() if usage.startswith(name) else usage
    rest = re.sub(r"([A-Z][A-Z]+(?:\.\.\.)?)", r"\\fI\1\\fR", roff(rest))
    summary = help_["summary"].rstrip(".")
    summary = summary[0].lower() + summary[1:] if summary[:1].isupper() and summary[1:2].islower() else summary
    out = [
        f'.\\" Generated by cmake/docgen.py from `{name} --help` and {args.include_name}: do not edit.',
        f'.TH {name.upper()} 1 "" "Dateline {args.version}" "User Commands"',
        ".SH NAME",
        f"{name} \\- {roff(summary)}",
        ".SH SYNOPSIS",
        f"\\fB{roff(name)}\\fR {rest}",
    ]
    for section, body in include:
        if section == "DESCRIPTION":
            out += [".SH DESCRIPTION", body]
    out.append(".SH OPTIONS")
    for group, options in help_["groups"]:
        out.append(f'.SS "{roff(group)} options"')
        for o in options:
            flag = f"\\fB\\-\\-{roff(o['long'])}\\fR"
            if o["short"]:
                flag = f"\\fB\\-{o['short']}\\fR, " + flag
            if o["arg"]:
                flag += f" \\fI{roff(o['arg'])}\\fR"
            out += [".TP", flag, roff(o["desc"])]
    for section, body in include:
        if section in ("DESCRIPTION", "NAME", "SYNOPSIS", "OPTIONS"):
            continue
        out += [f'.SH "{section}"' if " " in section else f".SH {section}", body]
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def zsh_quote(text):
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:") \
        .replace("'", "'\\''")


def completion(args):
    help_ = parse_help(run_help(args.binary))
    name = args.binary.rsplit("/", 1)[-1]
    options = [o for _, group in help_["groups"] for o in group]
    specs = []
    for o in options:
        desc = zsh_quote(o["desc"].split(" (default:")[0])
        action = f":{zsh_quote(o['arg'])}:_{name}_value --{o['long']}" if o["arg"] else ""
        eq = "=" if o["arg"] else ""
        specs.append(f"    '*--{o['long']}{eq}[{desc}]{action}' \\")
        if o["short"]:
            specs.append(f"    '*-{o['short']}[{desc}]{action}' \\")
    with open(args.template, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("@FLAGS@", " ".join("--" + o["long"] for o in options))
    text = text.replace("@ARG_FLAGS@", " ".join("--" + o["long"] for o in options if o["arg"]))
    text = text.replace("@SHORT_FLAGS@", " ".join("-" + o["short"] for o in options if o["short"]))
    text = text.replace("@ZSH_SPECS@", "\n".join(specs))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("man")
    m.add_argument("binary")
    m.add_argument("include")
    m.add_argument("out")
    m.add_argument("--version", default="")
    m.add_argument("--include-name", default=None, help="the include file's name in the page's header comment")
    c = sub.add_parser("completion")
    c.add_argument("binary")
    c.add_argument("template")
    c.add_argument("out")
    fl = sub.add_parser("flags")
    fl.add_argument("binary")
    args = p.parse_args()
    if args.command == "man":
        if args.include_name is None:
            args.include_name = args.include
        man(args)
    elif args.command == "completion":
        completion(args)
    else:
        for _, group in parse_help(run_help(args.binary))["groups"]:
            for o in group:
                print("--" + o["long"])


if __name__ == "__main__":
    main()
