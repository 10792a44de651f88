/**
 * A minimal element builder for the HTML report and its SVG charts. Text and attribute values are
 * always escaped here, because file names, keys and prompts in a report come from user data.
 */

/** Markup that has already been built or escaped; plain strings are always treated as text. */
export interface Html {
  readonly html: string;
}

export type Child = Html | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined>;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Trusted markup: only for constant strings written in this folder, never for report data. */
export function raw(html: string): Html {
  return { html };
}

const ATTR_NAME = /^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/;

/** `<tag attrs>children</tag>`; false/null/undefined attributes and children are left out. */
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): Html {
  return raw(`<${tag}${attributes(attrs)}>${render(children)}</${tag}>`);
}

/** An element with no content or closing tag (`<meta>`, `<rect/>` style for SVG). */
export function empty(tag: string, attrs: Attrs = {}, selfClose = false): Html {
  return raw(`<${tag}${attributes(attrs)}${selfClose ? '/' : ''}>`);
}

/** Several children as one, for building lists with map(). */
export function fragment(...children: Child[]): Html {
  return raw(render(children));
}

function render(children: Child[]): string {
  let out = '';
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    out += typeof child === 'object' ? child.html : escapeHtml(String(child));
  }
  return out;
}

function attributes(attrs: Attrs): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    // Names are written by this module's callers, but a bad one would break out of the tag.
    if (!ATTR_NAME.test(name)) throw new Error(`invalid attribute name ${JSON.stringify(name)}`);
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

/** A number as SVG coordinates want it: short, no exponent, no "-0". */
export function coord(n: number): string {
  const rounded = Math.round(n * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
