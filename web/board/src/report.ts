// A demo's report.md, rendered with marked. Its images are paths relative to the demo
// folder, served through /files/; raw HTML in the Markdown is shown as text, not run.
import { Marked } from 'marked';
import { getJson, h } from './dom.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);

export async function renderReport(dir: string): Promise<HTMLElement> {
  const { markdown } = await getJson<{ markdown: string | null }>(`/api/report?run=${encodeURIComponent(dir)}`);
  const marked = new Marked({
    async: false,
    renderer: {
      html: ({ text }) => esc(text),
      image: ({ href, text }) => {
        const src = /^[a-z]+:|^\//i.test(href) ? href : `/files/${dir}/${href}`;
        return `<img src="${esc(src)}" alt="${esc(text)}" title="${esc(text)}">`;
      },
    },
  });
  const div = h('div', { class: 'report' });
  div.innerHTML = marked.parse(markdown ?? '*report.md not found*') as string;
  return div;
}
