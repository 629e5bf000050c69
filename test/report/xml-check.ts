// A small XML well-formedness check for tests (no parser dependency): tags nest, attributes are quoted,
// entities are the predefined ones. Returns the element names in document order.
export function parseXmlShape(xml: string): { elements: Array<{ name: string; attrs: Record<string, string> }> } {
  let s = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const elements: Array<{ name: string; attrs: Record<string, string> }> = [];
  const checkText = (text: string): void => {
    if (/[<>]/.test(text)) throw new Error(`raw < or > in text: ${text.slice(0, 40)}`);
    for (const m of text.matchAll(/&([^;\s]*);?/g)) {
      if (!/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1] ?? '') || !m[0].endsWith(';')) throw new Error(`bad entity ${m[0]}`);
    }
  };
  let roots = 0;
  while (s.length) {
    const lt = s.indexOf('<');
    if (lt < 0) { checkText(s); if (s.trim()) throw new Error('text after the root'); break; }
    checkText(s.slice(0, lt));
    s = s.slice(lt);
    const tag = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/.exec(s);
    if (!tag) throw new Error(`malformed tag at: ${s.slice(0, 60)}`);
    const [whole, close, name, attrText, selfClose] = tag;
    if (close) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
    } else {
      if (stack.length === 0) roots += 1;
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? '').matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        checkText(a[2]!);
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]!] = a[2]!;
      }
      elements.push({ name: name!, attrs });
      if (!selfClose) stack.push(name!);
    }
    s = s.slice(whole.length);
  }
  if (stack.length) throw new Error(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return { elements };
}
