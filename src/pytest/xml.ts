/**
 * A small XML reader for the subset that pytest's JUnit writer produces:
 * elements, attributes, text, entities, CDATA, comments and the XML
 * declaration. No namespaces, no DTDs (a DOCTYPE is skipped). Pure.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text and CDATA directly inside this element, entities decoded. */
  text: string;
}

export class XmlSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = "XmlSyntaxError";
  }
}

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes `&lt;`, `&#10;`, `&#x1F;` and friends; unknown entities stay as written. */
export function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.startsWith("#x")) return safeFromCodePoint(parseInt(body.slice(2), 16), whole);
    if (body.startsWith("#")) return safeFromCodePoint(parseInt(body.slice(1), 10), whole);
    return NAMED_ENTITIES[body] ?? whole;
  });
}

function safeFromCodePoint(code: number, fallback: string): string {
  try {
    return String.fromCodePoint(code);
  } catch {
    return fallback;
  }
}

const NAME_PATTERN = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ATTRIBUTE_PATTERN = /^\s+([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/;

/** Parses a document and returns its root element. Throws XmlSyntaxError on malformed input. */
export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;

  const appendText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
    else if (text.trim() !== "") throw new XmlSyntaxError("text outside the root element", pos);
  };

  while (pos < source.length) {
    const lt = source.indexOf("<", pos);
    if (lt === -1) {
      appendText(decodeEntities(source.slice(pos)));
      break;
    }
    if (lt > pos) appendText(decodeEntities(source.slice(pos, lt)));
    pos = lt;

    if (source.startsWith("<?", pos)) {
      pos = skipPast(source, "?>", pos);
    } else if (source.startsWith("<!--", pos)) {
      pos = skipPast(source, "-->", pos);
    } else if (source.startsWith("<![CDATA[", pos)) {
      const end = source.indexOf("]]>", pos);
      if (end === -1) throw new XmlSyntaxError("unterminated CDATA", pos);
      appendText(source.slice(pos + 9, end));
      pos = end + 3;
    } else if (source.startsWith("<!", pos)) {
      pos = skipPast(source, ">", pos);
    } else if (source.startsWith("</", pos)) {
      const match = NAME_PATTERN.exec(source.slice(pos + 2, pos + 2 + 256));
      const top = stack.pop();
      if (!match || !top || top.name !== match[0]) throw new XmlSyntaxError("mismatched closing tag", pos);
      pos = skipPast(source, ">", pos);
    } else {
      const { element, selfClosing, end } = readStartTag(source, pos);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw new XmlSyntaxError("second root element", pos);
      else root = element;
      if (!selfClosing) stack.push(element);
      pos = end;
    }
  }
  if (stack.length > 0) throw new XmlSyntaxError(`unclosed element <${stack[stack.length - 1].name}>`, pos);
  if (!root) throw new XmlSyntaxError("no root element", pos);
  return root;
}

function skipPast(source: string, terminator: string, from: number): number {
  const end = source.indexOf(terminator, from);
  if (end === -1) throw new XmlSyntaxError(`expected ${terminator}`, from);
  return end + terminator.length;
}

function readStartTag(source: string, start: number): { element: XmlElement; selfClosing: boolean; end: number } {
  let pos = start + 1;
  const nameMatch = NAME_PATTERN.exec(source.slice(pos, pos + 256));
  if (!nameMatch) throw new XmlSyntaxError("expected an element name", pos);
  const element: XmlElement = { name: nameMatch[0], attributes: {}, children: [], text: "" };
  pos += nameMatch[0].length;
  for (;;) {
    // Attribute values can be long (a failure message): the window runs to the value's closing quote.
    const rest = source.slice(pos, findAttributeWindowEnd(source, pos));
    const attribute = ATTRIBUTE_PATTERN.exec(rest);
    if (attribute) {
      element.attributes[attribute[1]] = decodeEntities(attribute[3] ?? attribute[4] ?? "");
      pos += attribute[0].length;
      continue;
    }
    const close = /^\s*(\/?)>/.exec(source.slice(pos, pos + 64));
    if (!close) throw new XmlSyntaxError("malformed start tag", pos);
    return { element, selfClosing: close[1] === "/", end: pos + close[0].length };
  }
}

/** The end of the next attribute: past its closing quote, so `>` inside a value does not cut it short. */
function findAttributeWindowEnd(source: string, pos: number): number {
  const eq = source.indexOf("=", pos);
  if (eq === -1) return Math.min(source.length, pos + 64);
  const quoteAt = source.slice(eq + 1).search(/["']/);
  if (quoteAt === -1) return Math.min(source.length, pos + 64);
  const open = eq + 1 + quoteAt;
  const close = source.indexOf(source[open], open + 1);
  return close === -1 ? source.length : close + 1;
}

/** All descendants (depth first, document order) with the given element name. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement) => {
    for (const child of node.children) {
      if (child.name === name) found.push(child);
      visit(child);
    }
  };
  visit(element);
  return found;
}
