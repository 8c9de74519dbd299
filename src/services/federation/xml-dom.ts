import { createRequire } from 'node:module';

/**
 * XML parsing for SAML metadata and assertions with @xmldom/xmldom (the parser @node-saml/node-saml
 * itself uses; it resolves no external entities). It is loaded without its typings on purpose:
 * they pull the DOM library into the whole program's globals (`/// <reference lib="dom" />`),
 * which changes what `fetch`, `Response` ... mean everywhere. The few members used are typed here.
 */
export interface XmlNode {
  readonly nodeType: number;
  readonly localName: string | null;
  readonly namespaceURI: string | null;
  readonly textContent: string | null;
  readonly parentNode: XmlNode | null;
  readonly childNodes: ArrayLike<XmlNode>;
}

export interface XmlElement extends XmlNode {
  getAttribute(name: string): string | null;
  getElementsByTagNameNS(namespace: string, localName: string): ArrayLike<XmlElement>;
}

export interface XmlDocument {
  readonly documentElement: XmlElement | null;
  getElementsByTagNameNS(namespace: string, localName: string): ArrayLike<XmlElement>;
}

interface ParserOptions {
  errorHandler: { warning(message: string): void; error(message: string): void; fatalError(message: string): void };
}

const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as {
  DOMParser: new (options: ParserOptions) => { parseFromString(source: string, mimeType: string): XmlDocument | undefined };
};

/** The document, or undefined when the text is not well-formed XML. */
export function parseXml(xml: string): XmlDocument | undefined {
  let failed = false;
  const doc = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: () => {
        failed = true;
      },
      fatalError: () => {
        failed = true;
      },
    },
  }).parseFromString(xml, 'text/xml');
  return failed || !doc?.documentElement ? undefined : doc;
}

export function isElement(node: XmlNode): node is XmlElement {
  return node.nodeType === 1;
}

/** The element children of `parent` named `localName` in `namespace`. */
export function childElements(parent: XmlElement, namespace: string, localName: string): XmlElement[] {
  return Array.from(parent.childNodes).filter((n): n is XmlElement => isElement(n) && n.localName === localName && n.namespaceURI === namespace);
}

/** Every descendant element of `parent` named `localName` in `namespace`. */
export function descendants(parent: XmlElement | XmlDocument, namespace: string, localName: string): XmlElement[] {
  return Array.from(parent.getElementsByTagNameNS(namespace, localName));
}
