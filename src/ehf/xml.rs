//! The XML layer under the EHF writer and reader: a thin writer over `quick-xml` that keeps
//! the UBL prefixes and escapes every text, and a small element tree read with
//! `quick-xml`'s namespace-aware reader, so the mapping code can walk a document and name
//! each element by its path.
//!
//! The tree keys elements by namespace, not by the prefix a sender chose: whatever prefixes
//! a document declares, `cbc:` and `cac:` in a path always mean the UBL basic and aggregate
//! components.

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::NsReader;

use super::EhfError;

/// UBL 2.1 namespace of invoices.
pub(crate) const NS_INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
/// UBL 2.1 namespace of credit notes.
pub(crate) const NS_CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
/// UBL 2.1 aggregate components (`cac:`).
pub(crate) const NS_CAC: &str =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
/// UBL 2.1 basic components (`cbc:`).
pub(crate) const NS_CBC: &str =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// Deepest nesting the reader accepts. UBL invoices nest about eight levels; a hostile
/// document nested a million levels deep must not exhaust the stack or memory.
const MAX_DEPTH: usize = 64;

/// Writes UBL with two-space indentation straight into one `String`.
///
/// The layout is byte for byte what `quick-xml`'s indenting writer produced before: the
/// declaration, then every start and end tag on its own line indented two spaces a level,
/// except that a leaf's text and end tag follow its start tag on the same line. Texts are
/// escaped as `quick_xml::escape::escape` does and attribute values as its attribute
/// escaping does, in one pass straight into the output.
pub(crate) struct XmlWriter {
    out: String,
    depth: usize,
}

impl XmlWriter {
    /// A writer whose output buffer starts with room for `capacity` bytes.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        let mut out = String::with_capacity(capacity);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        Self { out, depth: 0 }
    }

    /// A new line indented to the current depth.
    fn line(&mut self) {
        const SPACES: &str = "                                                                ";
        self.out.push('\n');
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            self.out.push_str(&SPACES[..k]);
            n -= k;
        }
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.line();
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value, true);
            self.out.push('"');
        }
        self.out.push('>');
    }

    fn end_tag(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Opens an element with attributes.
    pub(crate) fn open_with(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.depth += 1;
    }

    /// Opens an element.
    pub(crate) fn open(&mut self, name: &str) {
        self.open_with(name, &[]);
    }

    /// Closes an element.
    pub(crate) fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.line();
        self.end_tag(name);
    }

    /// A leaf element with escaped text and attributes.
    pub(crate) fn leaf_with(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start_tag(name, attrs);
        escape_into(&mut self.out, text, false);
        self.end_tag(name);
    }

    /// A leaf element whose text is a value's `Display` output, escaped like any text,
    /// formatted straight into the output without an intermediate `String`.
    pub(crate) fn leaf_display_with(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        value: &dyn std::fmt::Display,
    ) {
        use std::fmt::Write as _;
        self.start_tag(name, attrs);
        let from = self.out.len();
        write!(self.out, "{value}").expect("formatting into a String cannot fail");
        if self.out.as_bytes()[from..]
            .iter()
            .any(|b| needs_escape(*b, false))
        {
            let raw = self.out.split_off(from);
            escape_into(&mut self.out, &raw, false);
        }
        self.end_tag(name);
    }

    /// A leaf element with a value's `Display` output as its text.
    pub(crate) fn leaf_display(&mut self, name: &str, value: &dyn std::fmt::Display) {
        self.leaf_display_with(name, &[], value);
    }

    /// A leaf element with escaped text.
    pub(crate) fn leaf(&mut self, name: &str, text: &str) {
        self.leaf_with(name, &[], text);
    }

    /// A leaf element when there is a non-blank text; PEPPOL forbids empty elements
    /// (PEPPOL-EN16931-R008).
    pub(crate) fn leaf_opt(&mut self, name: &str, text: Option<&str>) {
        if let Some(t) = text.filter(|t| !t.trim().is_empty()) {
            self.leaf(name, t);
        }
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// Whether a byte is escaped: markup characters and carriage returns (which a reader would
/// otherwise normalise away, XML 1.0 § 2.11) everywhere, and in attribute values also
/// newlines and tabs (which attribute-value normalisation would turn into spaces).
fn needs_escape(b: u8, attribute: bool) -> bool {
    matches!(b, b'<' | b'>' | b'&' | b'\'' | b'"' | b'\r')
        || (attribute && matches!(b, b'\n' | b'\t'))
}

/// Appends `text` to `out` with markup characters escaped, so texts survive a round trip
/// byte for byte. Runs without special characters are copied whole.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    let bytes = text.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !needs_escape(b, attribute) {
            continue;
        }
        // Every escaped byte is ASCII, so `i` is a character boundary.
        out.push_str(&text[from..i]);
        out.push_str(match b {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'\'' => "&apos;",
            b'"' => "&quot;",
            b'\r' => "&#13;",
            b'\n' => "&#10;",
            _ => "&#9;",
        });
        from = i + 1;
    }
    out.push_str(&text[from..]);
}

/// Whether a character may appear in an XML 1.0 document at all, escaped or not.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// One element of a read document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    /// `cbc:Name`, `cac:Party`, or the root's local name (`Invoice`); elements of other
    /// namespaces keep `{namespace}local`.
    pub name: String,
    /// Attributes without namespace, as (local name, unescaped value).
    pub attrs: Vec<(String, String)>,
    /// The text directly inside the element, unescaped.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Node>,
}

impl Node {
    /// The value of an attribute.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The namespace of an element, owned so the reader can be used again.
fn namespace(ns: ResolveResult<'_>) -> Result<Option<String>, String> {
    match ns {
        ResolveResult::Bound(Namespace(uri)) => Ok(Some(uri.to_owned())),
        ResolveResult::Unbound => Ok(None),
        ResolveResult::Unknown(prefix) => Err(format!("the prefix {prefix:?} is not declared")),
    }
}

fn element_name(ns: Option<&str>, local: &str) -> String {
    match ns {
        Some(NS_CBC) => format!("cbc:{local}"),
        Some(NS_CAC) => format!("cac:{local}"),
        Some(NS_INVOICE | NS_CREDIT_NOTE) | None => local.to_owned(),
        Some(other) => format!("{{{other}}}{local}"),
    }
}

/// Parses a whole document into a tree, returning the root element and its namespace.
pub(crate) fn parse(xml: &str) -> Result<(Node, String), EhfError> {
    let mut reader = NsReader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<(Node, String)> = None;
    let mut root_ns = String::new();

    let err = |reader: &NsReader<&[u8]>, reason: String| EhfError::Xml {
        position: reader.buffer_position(),
        reason,
    };

    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (namespace(ns), event),
            Err(e) => return Err(err(&reader, e.to_string())),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if root.is_some() {
                    return Err(err(&reader, "content after the root element".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(err(
                        &reader,
                        format!("elements nest deeper than {MAX_DEPTH}"),
                    ));
                }
                let ns = ns.map_err(|r| err(&reader, r))?;
                let name = element_name(ns.as_deref(), e.local_name().as_ref());
                if stack.is_empty() {
                    root_ns = ns.unwrap_or_default();
                }
                let mut node = Node {
                    name,
                    ..Node::default()
                };
                for attr in e.attributes() {
                    let attr = attr.map_err(|e| err(&reader, e.to_string()))?;
                    let key = attr.key;
                    // Namespace declarations and prefixed attributes (xsi:schemaLocation) are
                    // not data.
                    if key.as_namespace_binding().is_some() || key.prefix().is_some() {
                        continue;
                    }
                    let k = key.local_name().as_ref().to_owned();
                    let v = attr
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|e| err(&reader, e.to_string()))?
                        .into_owned();
                    node.attrs.push((k, v));
                }
                if matches!(event, Event::Empty(_)) {
                    close(&mut stack, node, &mut root, &root_ns);
                } else {
                    stack.push(node);
                }
            }
            Event::End(_) => {
                let Some(node) = stack.pop() else {
                    return Err(err(&reader, "a closing tag without an opening one".into()));
                };
                close(&mut stack, node, &mut root, &root_ns);
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text);
                } else if !text.trim().is_empty() {
                    return Err(err(&reader, "text outside the root element".into()));
                }
            }
            Event::CData(t) => {
                let text = t.xml10_content();
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r
                    .resolve_char_ref()
                    .map_err(|e| err(&reader, e.to_string()))?
                {
                    Some(c) => c.to_string(),
                    None => {
                        let name: &str = &r;
                        resolve_predefined_entity(name)
                            .ok_or_else(|| {
                                err(&reader, format!("unknown entity &{name}; (no DTD is read)"))
                            })?
                            .to_owned()
                    }
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::DocType(_) => {
                // A DTD could declare entities that expand without bound; UBL never has one.
                return Err(err(
                    &reader,
                    "a document type declaration is not allowed".into(),
                ));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(err(&reader, "the document ends inside an element".into()));
    }
    root.ok_or_else(|| err(&reader, "the document has no root element".into()))
}

fn close(stack: &mut [Node], node: Node, root: &mut Option<(Node, String)>, root_ns: &str) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(node),
        None => *root = Some((node, root_ns.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn text_of(xml: &str) -> String {
        parse(xml).expect("well-formed").0.text
    }

    #[test]
    fn entities_and_character_references_resolve() {
        assert_eq!(
            text_of("<a>x &amp; &lt;y&gt; &#65;&#x42; &quot;&apos;</a>"),
            "x & <y> AB \"'"
        );
        assert_eq!(text_of("<a><![CDATA[<raw & text>]]></a>"), "<raw & text>");
    }

    #[test]
    fn unknown_entities_and_doctypes_are_refused() {
        assert!(matches!(parse("<a>&nbsp;</a>"), Err(EhfError::Xml { .. })));
        let err = parse("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").expect_err("DTD");
        assert!(
            err.to_string().contains("document type declaration"),
            "{err}"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn only_one_root_and_no_stray_text() {
        assert!(parse("<a/><b/>").is_err());
        assert!(parse("<a/>text").is_err());
        assert!(parse("<a>").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn namespaces_map_to_the_ubl_prefixes() {
        let xml = format!(
            "<x:Invoice xmlns:x=\"{NS_INVOICE}\" xmlns:b=\"{NS_CBC}\"><b:ID a=\"1 &amp; 2\">7</b:ID></x:Invoice>"
        );
        let (root, ns) = parse(&xml).expect("well-formed");
        assert_eq!((root.name.as_str(), ns.as_str()), ("Invoice", NS_INVOICE));
        assert_eq!(root.children[0].name, "cbc:ID");
        assert_eq!(root.children[0].attr("a"), Some("1 & 2"));
        assert!(parse("<u:a/>").is_err(), "undeclared prefix");
    }

    #[test]
    fn writer_escapes_and_keeps_carriage_returns() {
        let mut w = XmlWriter::with_capacity(64);
        w.open_with("a", &[("k", "\"<&>\"")]);
        w.leaf("b", "1 < 2 & 3 > 2\r\n");
        w.leaf_opt("c", Some("   "));
        w.close("a");
        let xml = w.finish();
        assert!(xml.contains("k=\"&quot;&lt;&amp;&gt;&quot;\""), "{xml}");
        assert!(
            xml.contains("<b>1 &lt; 2 &amp; 3 &gt; 2&#13;\n</b>"),
            "{xml}"
        );
        assert!(!xml.contains("<c>"), "blank optional elements are left out");
        let (root, _) = parse(&xml).expect("well-formed");
        assert_eq!(root.children[0].text, "1 < 2 & 3 > 2\r\n");
    }

    /// The writer `XmlWriter` replaced: `quick-xml`'s indenting writer, kept here as the
    /// reference the direct writer must match byte for byte.
    /// One writer call: an element name (`/name` closes), attributes, and leaf text if any.
    type Op<'a> = (&'a str, &'a [(&'a str, &'a str)], Option<&'a str>);

    fn reference(ops: &[Op<'_>]) -> String {
        use quick_xml::Writer;
        use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText};
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .expect("writes");
        for (name, attrs, text) in ops {
            match (name.strip_prefix('/'), text) {
                (Some(end), _) => w.write_event(Event::End(BytesEnd::new(end))),
                (None, None) => {
                    let mut start = BytesStart::new(*name);
                    for attr in *attrs {
                        start.push_attribute(*attr);
                    }
                    w.write_event(Event::Start(start))
                }
                (None, Some(text)) => {
                    let mut element = w.create_element(*name);
                    for attr in *attrs {
                        element = element.with_attribute(*attr);
                    }
                    let escaped = quick_xml::escape::escape(*text);
                    element
                        .write_text_content(BytesText::from_escaped(escaped))
                        .map(|_| ())
                }
            }
            .expect("writes");
        }
        String::from_utf8(w.into_inner()).expect("UTF-8")
    }

    #[test]
    fn writer_matches_quick_xml_byte_for_byte() {
        let tricky = "a<b>&c'd\"e\r\n\tf  blåbær 🧾 &amp;";
        let ops: &[Op<'_>] = &[
            (
                "Invoice",
                &[("xmlns", NS_INVOICE), ("xmlns:cac", NS_CAC)],
                None,
            ),
            ("cbc:ID", &[], Some("1")),
            ("cbc:Note", &[], Some(tricky)),
            ("cbc:Empty", &[], Some("")),
            ("cac:Party", &[], None),
            ("cbc:EndpointID", &[("schemeID", tricky)], Some(tricky)),
            ("cac:Deeper", &[("a", "1"), ("b", "\n\t")], None),
            ("cbc:Amount", &[("currencyID", "NOK")], Some("-12.50")),
            ("/cac:Deeper", &[], None),
            ("/cac:Party", &[], None),
            ("/Invoice", &[], None),
        ];
        let mut w = XmlWriter::with_capacity(16);
        for (name, attrs, text) in ops {
            match (name.strip_prefix('/'), text) {
                (Some(end), _) => w.close(end),
                (None, None) => w.open_with(name, attrs),
                (None, Some(text)) if *name == "cbc:Amount" => {
                    w.leaf_display_with(name, attrs, &Decimal::new(-1250, 2));
                    let _ = text;
                }
                (None, Some(text)) => w.leaf_with(name, attrs, text),
            }
        }
        assert_eq!(w.finish(), reference(ops));

        let mut w = XmlWriter::with_capacity(64);
        w.open("a");
        w.leaf_display("b", &"x<y");
        w.close("a");
        assert_eq!(
            w.finish(),
            reference(&[("a", &[], None), ("b", &[], Some("x<y")), ("/a", &[], None)])
        );
    }

    #[test]
    fn xml_chars() {
        assert!(is_xml_char('a') && is_xml_char('\n') && is_xml_char('🧾'));
        assert!(!is_xml_char('\u{0}') && !is_xml_char('\u{1B}') && !is_xml_char('\u{FFFE}'));
    }
}
