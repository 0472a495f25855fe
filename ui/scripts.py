"""The page's own JavaScript (and the one style rule Gradio's scoped CSS cannot reach).

Kept apart from :mod:`ui.app` so the layout reads as layout. Everything here runs in the
visitor's browser and touches only this page: no request leaves it.
"""

from __future__ import annotations

__all__ = [
    "COPY_CONVERSATION",
    "HEAD",
    "SCROLL_TO_HIT",
    "SCROLL_TO_REPLY",
    "count_script",
    "page_script",
]

# Bring the top passage of the latest answer into view inside the panel (not the page); a
# panel with nothing lit up (a new article, a new conversation) starts from the top.
SCROLL_TO_HIT = """
watch('value', () => {
  const hit = element.querySelector('.qa-hit[data-rank="1"]');
  const panel = element.closest('#qa-article-panel') || element;
  if (hit) {
    panel.scrollTop += hit.getBoundingClientRect().top - panel.getBoundingClientRect().top - 8;
  } else {
    panel.scrollTop = 0;
  }
});
"""

# Page script, run once: citations open their source card; on a phone the article panel
# starts folded, so the chat and its sources come first.
_PAGE = """
() => {
  const open = (cite) => {
    // The number is in a class name: the chatbot's sanitiser drops data-* attributes.
    const number = (cite.className.match(/qa-cite-(\\d+)/) || [])[1];
    const turn = cite.closest('.qa-turn');
    const card = number && turn && turn.querySelector(`.qa-source-${number}`);
    if (!card) return;
    card.open = true;
    card.scrollIntoView({block: 'nearest', behavior: 'smooth'});
    // The article panel lights up the latest answer only, so older turns' numbers would
    // point at the wrong passages there.
    const turns = document.querySelectorAll('#qa-chat .qa-turn');
    const hit = turn === turns[turns.length - 1]
      && document.querySelector(`#qa-article-panel .qa-hit[data-rank="${number}"]`);
    const panel = document.querySelector('#qa-article-panel');
    if (hit && panel) {
      panel.scrollTop += hit.getBoundingClientRect().top - panel.getBoundingClientRect().top - 8;
    }
    card.classList.remove('qa-flash');
    void card.offsetWidth;  // restart the animation
    card.classList.add('qa-flash');
  };
  document.addEventListener('click', (e) => {
    const cite = e.target.closest && e.target.closest('.qa-cite');
    if (cite) { e.preventDefault(); open(cite); }
  });
  document.addEventListener('keydown', (e) => {
    const cite = e.target.closest && e.target.closest('.qa-cite');
    if (cite && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); open(cite); }
  });
  // A file over the limit is refused before it is sent: no wait, no server disk used.
  document.addEventListener('change', (e) => {
    const input = e.target;
    if (!input.matches || !input.matches('#qa-source-box input[type=file]')) return;
    const file = input.files && input.files[0];
    if (!file || file.size <= __MAX_UPLOAD_BYTES__) return;
    e.stopImmediatePropagation();
    input.value = '';
    const line = document.createElement('div');
    line.className = 'qa-status qa-status-error';
    line.textContent = `${file.name}: the file is ${(file.size / 1e6).toFixed(1)} MB; the `
      + 'limit is __MAX_UPLOAD_MB__ MB (save just the article, or paste its text)';
    const box = document.querySelector('#qa-status .html-container');
    if (box) box.replaceChildren(line);
  }, true);
  if (window.matchMedia('(max-width: 767px)').matches) {
    const fold = () => {
      const toggle = document.querySelector('#qa-article-box > button');
      if (!toggle) return false;
      if (toggle.getAttribute('aria-expanded') !== 'false') toggle.click();
      return true;
    };
    if (!fold()) {
      const watcher = new MutationObserver(() => { if (fold()) watcher.disconnect(); });
      watcher.observe(document.body, {childList: true, subtree: true});
    }
  }
}
"""

# After a turn: bring the latest question to the top of the chat (just below the chatbot's
# own buttons), so its reply and first source read from the top; then make sure that part of
# the chat is on screen (on a phone the chat can sit below the fold). The chatbot's own
# autoscroll would pin the bottom instead.
SCROLL_TO_REPLY = """
() => {
  const chat = document.querySelector('#qa-chat');
  const asked = chat && chat.querySelectorAll('.qa-question');
  if (!asked || !asked.length) return;
  const last = asked[asked.length - 1];
  const scrolls = (el) => el.scrollHeight > el.clientHeight + 1
    && !['visible', 'hidden'].includes(getComputedStyle(el).overflowY);
  let box = last.parentElement;
  while (box && !scrolls(box)) box = box === chat ? null : box.parentElement;
  if (box) {
    box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top - 48;
  }
  const top = last.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight * 0.6) window.scrollBy(0, top - 12);
}
"""


# Gradio scopes the ``css`` it is given to the app's content; the page margins around it can
# only be reached from the document head. Phones need that width for the chat.
HEAD = (
    "<style>@media (max-width: 767px) { .gradio-container .main.app "
    "{ padding: 8px 8px !important; } }</style>"
)


def page_script(max_upload_bytes: int) -> str:
    """The script run once when the page loads, with the upload limit filled in."""
    return _PAGE.replace("__MAX_UPLOAD_BYTES__", str(max_upload_bytes)).replace(
        "__MAX_UPLOAD_MB__", f"{max_upload_bytes / 1e6:.0f}"
    )


# "Copy conversation": the chat as Markdown read from the page (questions, replies, what a
# follow-up was understood as, each source with its speaker), so it pastes as readable text.
COPY_CONVERSATION = """
async () => {
  const text = (el) => (el ? el.textContent.replace(/\\s+/g, ' ').trim() : '');
  const lines = [];
  const title = document.querySelector('#qa-header .qa-title');
  if (title) lines.push(`# ${text(title)}`, '');
  const parts = '.qa-question, .qa-turn, .qa-reply.qa-error, .qa-note';
  for (const el of document.querySelectorAll(`#qa-chat :is(${parts})`)) {
    if (el.matches('.qa-question')) {
      lines.push(`**Q:** ${text(el)}`, '');
    } else if (el.matches('.qa-note')) {
      lines.push(`_${text(el)}_`, '');
    } else if (el.matches('.qa-error')) {
      lines.push(`**A:** ${text(el)}`, '');
    } else {
      const reply = el.querySelector('.qa-reply').cloneNode(true);
      reply.querySelectorAll('.qa-cites').forEach((c) => c.remove());
      lines.push(`**A:** ${text(reply)}`, '');
      const understood = el.querySelector('.qa-understood');
      if (understood) lines.push(`_${text(understood)}_`, '');
      const heading = el.querySelector('.qa-sources-title');
      if (heading) lines.push(`${text(heading)}:`, '');
      el.querySelectorAll('.qa-source').forEach((card) => {
        const who = text(card.querySelector('.qa-badge')) || 'narration';
        const about = [card.querySelector('.qa-speaker-title'), card.querySelector('.qa-kind'),
                       card.querySelector('.qa-meta')].map(text).filter(Boolean).join(', ');
        lines.push(`${text(card.querySelector('.qa-rank'))}. **${who}** (${about}): `
          + `\u201c${text(card.querySelector('.qa-text'))}\u201d`);
      });
      lines.push('');
    }
  }
  const markdown = lines.join('\\n').trim() + '\\n';
  await navigator.clipboard.writeText(markdown);
  const button = document.querySelector('#qa-copy');
  if (button) {
    const label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = label; }, 1500);
  }
}
"""

_COUNT = """
(question) => {
  const count = document.querySelector('#qa-count .qa-count');
  if (!count) return;
  const n = (question || '').length, limit = __LIMIT__;
  const fmt = (x) => x.toLocaleString('en-US');
  const over = n > limit;
  count.textContent = `${fmt(n)} / ${fmt(limit)}`
    + (over ? `: too long, shorten the question to ${fmt(limit)} characters` : '');
  count.classList.toggle('qa-count-over', over);
}
"""


def count_script(limit: int) -> str:
    """The question box's change handler: keeps the character count (``#qa-count``) current."""
    return _COUNT.replace("__LIMIT__", str(limit))
