"""Text safety: user text in, mrkdwn and plain text out.

Slack sends typed text escaped (`&amp;`, `&lt;`, `&gt;`) with its own markup for mentions and links
(`<@U123|li>`, `<!channel>`, `<https://x|label>`). We store *plain text*: entities decoded, a
colleague's mention kept as `<@U123>`, and everything else (special mentions, links whose label could
hide their target) turned into the readable text it stands for. On the way out:

- `esc` makes stored text safe inside our mrkdwn: `&`, `<`, `>` escaped, colleague mentions kept,
  no `@channel`/`@here`/`@everyone` ping, and no `*`, `_`, `~` or backtick that could pair with the
  app's own formatting;
- `echo` quotes what someone typed inside an error's code span;
- `plain` gives plain-text surfaces (headers, modal inputs) readable text: mentions become names;
- `truncate` cuts mrkdwn without splitting an entity, a mention or a link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

ELLIPSIS = "…"

# Real ids are [A-Z0-9]; the underscore admits the readable ids of the local fake (U_DEMO).
USER_MENTION = re.compile(r"<@([UW][A-Z0-9_]+)>")
_SLACK_MARKUP = re.compile(r"<([^<>]*)>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPECIAL_WORDS = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_FORMATTING = {"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"}
# What an escaped mrkdwn string is made of, for cutting it safely: markup, entities, characters.
_MRKDWN_TOKEN = re.compile(r"<[^<>]*>|&(?:amp|lt|gt);|.", re.DOTALL)
_ANGLE_TOKEN = re.compile(r"<[^<>]*>")
_ENTITY_TOKEN = re.compile(r"&(?:amp|lt|gt);")
_URL_SCHEMES = ("http://", "https://", "mailto:", "tel:")
WORD_JOINER = "\u2060"
SOFT_HYPHEN = "\u00ad"


def clean(text: str) -> str:
    """Text without NUL and other control characters (newlines and tabs stay)."""
    return _CONTROL.sub("", text)


def decode_entities(text: str) -> str:
    """Undo Slack's escaping of `&`, `<`, `>` (the only three it escapes)."""
    # "&amp;" last, so that a typed "&lt;" (sent as "&amp;lt;") stays "&lt;".
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape_entities(text: str) -> str:
    """`&`, `<`, `>` as Slack wants them in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markup_to_text(inner: str) -> str:
    """What one piece of Slack markup (without its brackets) should be stored as."""
    target, _, label = inner.partition("|")
    label = decode_entities(label)
    if target.startswith("@") and re.fullmatch(r"@[UW][A-Z0-9_]+", target):
        return f"<{target}>"
    if target.startswith("#") and re.fullmatch(r"#[CG][A-Z0-9_]+", target):
        return f"#{label or target[1:]}"
    if target.startswith("!"):
        word = target[1:].split("^", 1)[0]
        if word in ("here", "channel", "everyone"):
            return f"@{word}"
        if word == "subteam":
            return label or "@group"
        return label  # <!date^…|fallback> and the like: the fallback text
    url = decode_entities(target)
    if url.lower().startswith(_URL_SCHEMES):
        shown = url.split(":", 1)[1].lstrip("/") if url.lower().startswith(("mailto:", "tel:")) else url
        if not label or label in (url, shown, url.split("://", 1)[-1]):
            return shown
        # A label that differs from its target would hide where the link goes: show both.
        return f"{label} ({shown})"
    return decode_entities(f"<{inner}>")


def from_slack(text: str) -> str:
    """Slack's escaped, marked-up text (commands, message text) as the plain text we store."""
    parts: list[str] = []
    last = 0
    for match in _SLACK_MARKUP.finditer(text):
        parts.append(decode_entities(text[last : match.start()]))
        parts.append(_markup_to_text(match.group(1)))
        last = match.end()
    parts.append(decode_entities(text[last:]))
    return clean("".join(parts))


def _neutralize_formatting(text: str) -> str:
    # A marker between two ASCII letters or digits (SKU_88_RED) can never open or close formatting;
    # anywhere else it could pair with the app's own, so it becomes a look-alike that cannot.
    out = list(text)
    for i, ch in enumerate(text):
        if ch in _FORMATTING:
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()):
                out[i] = _FORMATTING[ch]
    return "".join(out)


def _esc_plain(text: str) -> str:
    text = _SPECIAL_WORDS.sub(lambda m: f"@{WORD_JOINER}{m.group(1)}", text)
    text = escape_entities(_neutralize_formatting(text))
    # ">" at the start of a line would make the rest of it a quote.
    return re.sub(r"(^|\n)&gt;", lambda m: f"{m.group(1)}{SOFT_HYPHEN}&gt;", text)


def esc(text: str) -> str:
    """Stored user text made safe for mrkdwn; a colleague's @-mention stays a mention."""
    parts: list[str] = []
    last = 0
    for match in USER_MENTION.finditer(text):
        parts.append(_esc_plain(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_esc_plain(text[last:]))
    return "".join(parts)


def echo(text: str, limit: int = 80) -> str:
    """What someone typed, for quoting inside an error's `code span`: nothing in it is markup."""
    flat = " ".join(clean(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + ELLIPSIS
    return escape_entities(flat.replace("`", "ˋ"))


def code(text: str) -> str:
    """Our own text (a usage line with `<placeholders>`) as a code span Slack shows as typed."""
    return f"`{escape_entities(text.replace('`', 'ˋ'))}`"


def plain(text: str, names: Mapping[str, str] | None = None) -> str:
    """Stored text for plain-text surfaces: `<@U123>` becomes `@Li Na` (or `@U123` when unknown)."""
    known = names or {}
    return USER_MENTION.sub(lambda m: f"@{known.get(m.group(1)) or m.group(1)}", text)


def mention(user_id: str) -> str:
    """A mention of a Slack user by id (ids come from Slack, never from free text)."""
    return f"<@{user_id}>" if re.fullmatch(r"[UW][A-Z0-9_]+", user_id) else escape_entities(user_id)


def truncate(mrkdwn: str, limit: int) -> str:
    """`mrkdwn` cut to at most `limit` characters, never inside `<…>` or `&…;`, with an ellipsis.

    Cut at the budget, then moved back to the start of the token (`<…>` or an entity) the cut would
    split: the same cut as taking whole tokens while they fit, without walking the text char by char
    (a 3,000-character fallback text is cut on most replies)."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    budget = max(limit - len(ELLIPSIS), 0)
    cut = budget
    angle = mrkdwn.rfind("<", 0, cut)
    if angle != -1 and mrkdwn.find(">", angle, cut) == -1:
        whole = _ANGLE_TOKEN.match(mrkdwn, angle)
        if whole is not None and whole.end() > cut:
            cut = angle
    amp = mrkdwn.rfind("&", max(cut - 4, 0), cut)
    if amp != -1:
        whole = _ENTITY_TOKEN.match(mrkdwn, amp)
        if whole is not None and whole.end() > cut:
            cut = amp
    return mrkdwn[:cut] + ELLIPSIS


def truncate_plain(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def split(mrkdwn: str, budget: int) -> list[str]:
    """mrkdwn in pieces of at most `budget` characters (nothing dropped), cut at a line break or a space
    when one is near, never inside an entity, a mention or a link."""
    pieces: list[str] = []
    rest = mrkdwn
    while len(rest) > budget:
        used, space = 0, 0
        for match in _MRKDWN_TOKEN.finditer(rest):
            token = match.group(0)
            if used + len(token) > budget:
                break
            used += len(token)
            if token in (" ", "\n"):
                space = used
        cut = space if space > budget // 2 else used
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [*pieces, rest]
