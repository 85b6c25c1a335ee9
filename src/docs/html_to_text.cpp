#include "docs/html_to_text.h"

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "docs/entities.h"
#include "docs/text_util.h"

namespace lava_mcp::docs {
namespace {

constexpr std::size_t kNpos = std::string::npos;
// Deeper nesting is ignored (its tags, not its text): keeps end-tag searches short on garbage.
constexpr std::size_t kMaxOpenElements = 512;

using Names = std::initializer_list<std::string_view>;

bool is_one_of(std::string_view name, Names names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_void(std::string_view name) {
  return is_one_of(
      name, {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image",
             "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"});
}

// Elements whose content is raw text up to the matching end tag (never tags or comments).
bool is_raw_text(std::string_view name) {
  return is_one_of(name, {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript",
                          "textarea", "title"});
}

bool is_removed_name(std::string_view name) {
  return is_one_of(name, {"script", "style", "noscript", "nav", "header", "footer", "aside", "svg",
                          "form", "button", "iframe", "template", "head", "select", "datalist",
                          "canvas", "video", "audio", "object"});
}

bool is_head_content(std::string_view name) {
  return is_one_of(name, {"base", "basefont", "bgsound", "link", "meta", "noframes", "script",
                          "style", "template", "title", "noscript", "head"});
}

int heading_level(std::string_view name) {
  if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
    return name[1] - '0';
  }
  return 0;
}

bool closes_p(std::string_view name) {
  return heading_level(name) > 0 ||
         is_one_of(name,
                   {"address", "article", "aside",  "blockquote", "center",     "details", "dialog",
                    "dir",     "div",     "dl",     "fieldset",   "figcaption", "figure",  "footer",
                    "form",    "header",  "hgroup", "hr",         "main",       "menu",    "nav",
                    "ol",      "p",       "pre",    "listing",    "section",    "table",   "ul",
                    "li",      "dd",      "dt"});
}

// HTML start tags that break out of svg/math content back into HTML.
bool breaks_out_of_foreign(std::string_view name) {
  return heading_level(name) > 0 ||
         is_one_of(name, {"b",   "big",   "blockquote", "body",  "br",    "center", "code",   "dd",
                          "div", "dl",    "dt",         "em",    "embed", "head",   "hr",     "i",
                          "img", "li",    "listing",    "menu",  "meta",  "nobr",   "ol",     "p",
                          "pre", "ruby",  "s",          "small", "span",  "strong", "strike", "sub",
                          "sup", "table", "tt",         "u",     "ul",    "var"});
}

bool is_block_paragraph(std::string_view name) {
  return is_one_of(name, {"p", "section", "article", "main", "blockquote", "figure", "details",
                          "dl", "address", "fieldset", "hgroup", "center", "dialog"});
}

bool is_block_line(std::string_view name) {
  return is_one_of(name, {"div", "dt", "dd", "figcaption", "summary", "caption", "legend"});
}

// Scope boundaries for finding an open element (HTML's "has an element in scope" family).
const Names kDefaultScope = {"applet", "caption", "html",   "table",   "td",
                             "th",     "marquee", "object", "template"};
const Names kButtonScope = {"applet", "caption", "html",   "table",    "td",
                            "th",     "marquee", "object", "template", "button"};
const Names kListItemScope = {"applet",  "caption", "html",     "table", "td", "th",
                              "marquee", "object",  "template", "ol",    "ul", "menu"};
const Names kDefinitionScope = {"applet", "caption", "html",   "table",    "td",
                                "th",     "marquee", "object", "template", "dl"};
const Names kTableScope = {"html", "table", "template"};

const Names& scope_for_end_tag(std::string_view name) {
  if (is_one_of(name, {"td", "th", "tr", "thead", "tbody", "tfoot", "caption", "table"})) {
    return kTableScope;
  }
  if (name == "li") {
    return kListItemScope;
  }
  if (name == "dt" || name == "dd") {
    return kDefinitionScope;
  }
  return kDefaultScope;
}

bool is_http_url(std::string_view href) {
  const std::string l = ascii_lower(href.substr(0, 8));
  return (l.rfind("http://", 0) == 0 && href.size() > 7) ||
         (l.rfind("https://", 0) == 0 && href.size() > 8);
}

// "https://www.Example.com/docs/" and "example.com/docs" name the same target.
std::string link_key(std::string_view text) {
  std::string l = ascii_lower(trim_space(text));
  for (std::string_view prefix : {"https://", "http://", "www."}) {
    if (l.rfind(prefix, 0) == 0) {
      l.erase(0, prefix.size());
    }
  }
  while (!l.empty() && l.back() == '/') {
    l.pop_back();
  }
  return l;
}

// Link text that is only punctuation or a permalink sign (¶ § 🔗), as in heading anchors.
bool is_symbolic(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (is_ascii_alnum(text[i])) {
        return false;
      }
      ++i;
      continue;
    }
    bool matched = false;
    for (std::string_view sign : {"\xC2\xB6", "\xC2\xA7", "\xF0\x9F\x94\x97"}) {
      if (text.substr(i, sign.size()) == sign) {
        i += sign.size();
        matched = true;
        break;
      }
    }
    if (!matched) {
      return false;
    }
  }
  return true;
}

std::string language_from_class(std::string_view classes) {
  std::size_t i = 0;
  while (i < classes.size()) {
    while (i < classes.size() && is_ascii_space(classes[i])) {
      ++i;
    }
    std::size_t end = i;
    while (end < classes.size() && !is_ascii_space(classes[end])) {
      ++end;
    }
    const std::string_view token = classes.substr(i, end - i);
    for (std::string_view prefix : {"language-", "lang-"}) {
      if (token.size() > prefix.size() && token.substr(0, prefix.size()) == prefix) {
        std::string lang;
        for (char c : token.substr(prefix.size(), 32)) {
          if (is_ascii_alnum(c) || c == '_' || c == '+' || c == '#' || c == '.' || c == '-') {
            lang += c;
          }
        }
        return lang;
      }
    }
    i = end;
  }
  return {};
}

// A non-negative integer attribute such as <ol start> or <li value>, clamped.
std::optional<long> parse_count(std::string_view text) {
  text = trim_space(text);
  if (text.empty() || !is_ascii_digit(text[0])) {
    return std::nullopt;
  }
  long value = 0;
  for (char c : text) {
    if (!is_ascii_digit(c)) {
      break;
    }
    value = std::min(value * 10 + (c - '0'), 1000000000L);
  }
  return value;
}

std::size_t longest_run(std::string_view text, char c) {
  std::size_t best = 0;
  std::size_t run = 0;
  for (char x : text) {
    run = x == c ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

struct Tag {
  std::string name;
  bool self_closing = false;
  std::vector<std::pair<std::string, std::string>> attributes;  // only those rendering reads

  const std::string* attribute(std::string_view key) const {
    for (const auto& [k, v] : attributes) {
      if (k == key) {
        return &v;
      }
    }
    return nullptr;
  }
  std::string_view value(std::string_view key) const {
    const std::string* v = attribute(key);
    return v != nullptr ? std::string_view(*v) : std::string_view();
  }
};

bool is_kept_attribute(std::string_view name) {
  return is_one_of(
      name, {"href", "alt", "class", "start", "value", "hidden", "aria-hidden", "role", "style"});
}

bool is_hidden(const Tag& tag) {
  if (tag.attribute("hidden") != nullptr) {
    return true;
  }
  if (ascii_lower(trim_space(tag.value("aria-hidden"))) == "true") {
    return true;
  }
  const std::string role = ascii_lower(trim_space(tag.value("role")));
  if (is_one_of(role, {"navigation", "banner", "contentinfo", "complementary", "search"})) {
    return true;
  }
  std::string style;
  for (char c : tag.value("style")) {
    if (!is_ascii_space(c)) {
      style += to_lower_ascii(c);
    }
  }
  return style.find("display:none") != kNpos || style.find("visibility:hidden") != kNpos;
}

enum class Kind {
  kOther,
  kHeading,
  kParagraph,
  kLine,
  kList,
  kListItem,
  kPre,
  kCode,
  kLink,
  kTable,
  kRow,
  kCell,
};

struct OpenElement {
  std::string name;
  Kind kind = Kind::kOther;
  bool removes = false;      // this element hides its subtree
  bool foreign = false;      // svg/math content
  std::size_t mark = kNpos;  // code: offset of the opening backtick; link: of the text
  std::string href;
};

// What is owed to the output before the next visible character.
struct Pending {
  int newlines = 0;
  bool space = false;
  std::string marker;              // a list item's "- " for the next line
  int heading = 0;                 // "##" for the next text
  std::vector<std::size_t> marks;  // open code/link elements whose content has not started
};

struct TableState {
  bool row_open = false;
  bool row_has_th = false;
  std::vector<std::string> cells;
  std::size_t rows = 0;
  bool cell_open = false;
  bool cell_th = false;
  std::size_t cell_mark = 0;
  Pending saved;  // the pending state outside the open cell
};

struct ListState {
  bool ordered = false;
  long next = 1;
};

struct PreState {
  std::string lang;
  // HTML drops a newline right after <pre>; this also drops one after <pre><code>.
  bool skip_newline = false;
  bool fence_written = false;
  bool at_line_start = false;
  std::size_t fence_pos = 0;
};

class Converter {
 public:
  explicit Converter(std::string_view html) : src_(clean_text(html)) {}

  std::string run() {
    std::size_t pos = 0;
    while (pos < src_.size()) {
      const std::size_t lt = src_.find('<', pos);
      if (lt == kNpos) {
        on_text(view().substr(pos), true);
        break;
      }
      if (lt > pos) {
        on_text(view().substr(pos, lt - pos), true);
      }
      pos = markup(lt);
    }
    pop_to(0);
    std::string body(trim_space(out_));
    if (!title_.empty() && !h1_written_) {
      body = "# " + title_ + (body.empty() ? "" : "\n\n") + body;
    }
    return body;
  }

 private:
  std::string_view view() const { return src_; }

  // --- tokenizer -------------------------------------------------------------------------

  // The markup at src_[i] == '<'; returns where text resumes.
  std::size_t markup(std::size_t i) {
    const std::size_t n = src_.size();
    const std::string_view rest = view().substr(i);
    if (rest.substr(0, 4) == "<!--") {
      return comment_end(i + 4);
    }
    if (ascii_lower(rest.substr(0, 9)) == "<![cdata[") {
      const std::size_t end = src_.find("]]>", i + 9);
      on_text(view().substr(i + 9, end == kNpos ? kNpos : end - i - 9), false);
      return end == kNpos ? n : end + 3;
    }
    if (rest.size() >= 2 && (rest[1] == '!' || rest[1] == '?')) {  // doctype, bogus comment
      const std::size_t gt = src_.find('>', i + 2);
      return gt == kNpos ? n : gt + 1;
    }
    if (rest.size() >= 2 && rest[1] == '/') {
      if (rest.size() >= 3 && is_ascii_alpha(rest[2])) {
        Tag tag;
        const std::size_t next = parse_tag(i + 2, tag);
        if (next == kNpos) {
          return n;  // EOF inside a tag drops the tag
        }
        on_end_tag(tag.name);
        return next;
      }
      if (rest.size() == 2) {
        on_text("</", false);
        return n;
      }
      if (rest[2] == '>') {
        return i + 3;
      }
      const std::size_t gt = src_.find('>', i + 2);
      return gt == kNpos ? n : gt + 1;
    }
    if (rest.size() >= 2 && is_ascii_alpha(rest[1])) {
      Tag tag;
      const std::size_t next = parse_tag(i + 1, tag);
      if (next == kNpos) {
        return n;
      }
      return on_start_tag(tag, next);
    }
    on_text("<", false);
    return i + 1;
  }

  std::size_t comment_end(std::size_t j) {
    const std::size_t n = src_.size();
    if (j < n && src_[j] == '>') {
      return j + 1;  // "<!-->"
    }
    if (j + 1 < n && src_[j] == '-' && src_[j + 1] == '>') {
      return j + 2;  // "<!--->"
    }
    while (true) {
      const std::size_t dash = src_.find("--", j);
      if (dash == kNpos) {
        return n;
      }
      if (dash + 2 < n && src_[dash + 2] == '>') {
        return dash + 3;
      }
      if (dash + 3 < n && src_[dash + 2] == '!' && src_[dash + 3] == '>') {
        return dash + 4;
      }
      j = dash + 1;
    }
  }

  // Parses a tag name and attributes from `i`; returns the position after '>' or kNpos at EOF.
  std::size_t parse_tag(std::size_t i, Tag& tag) {
    const std::size_t n = src_.size();
    while (i < n && !is_ascii_space(src_[i]) && src_[i] != '/' && src_[i] != '>') {
      tag.name += to_lower_ascii(src_[i]);
      ++i;
    }
    while (true) {
      while (i < n && is_ascii_space(src_[i])) {
        ++i;
      }
      if (i >= n) {
        return kNpos;
      }
      if (src_[i] == '>') {
        return i + 1;
      }
      if (src_[i] == '/') {
        if (i + 1 < n && src_[i + 1] == '>') {
          tag.self_closing = true;
          return i + 2;
        }
        ++i;
        continue;
      }
      const std::size_t name_begin = i++;  // the first character may be '='
      while (i < n && !is_ascii_space(src_[i]) && src_[i] != '/' && src_[i] != '>' &&
             src_[i] != '=') {
        ++i;
      }
      const std::string name = ascii_lower(view().substr(name_begin, i - name_begin));
      std::size_t j = i;
      while (j < n && is_ascii_space(src_[j])) {
        ++j;
      }
      std::string_view value;
      if (j < n && src_[j] == '=') {
        i = j + 1;
        while (i < n && is_ascii_space(src_[i])) {
          ++i;
        }
        if (i >= n) {
          return kNpos;
        }
        if (src_[i] == '"' || src_[i] == '\'') {
          const std::size_t close = src_.find(src_[i], i + 1);
          if (close == kNpos) {
            return kNpos;
          }
          value = view().substr(i + 1, close - i - 1);
          i = close + 1;
        } else {
          const std::size_t begin = i;
          while (i < n && !is_ascii_space(src_[i]) && src_[i] != '>') {
            ++i;
          }
          value = view().substr(begin, i - begin);
        }
      }
      if (is_kept_attribute(name) && tag.attribute(name) == nullptr) {
        tag.attributes.emplace_back(name, decode_entities(value, true));
      }
    }
  }

  // The end of the raw text that starts at `from` (before "</name"), and in *after where
  // parsing resumes (past that end tag).
  std::size_t raw_text_end(std::size_t from, std::string_view name, std::size_t* after) {
    const std::size_t n = src_.size();
    std::size_t j = from;
    while (true) {
      const std::size_t k = src_.find("</", j);
      if (k == kNpos) {
        *after = n;
        return n;
      }
      const std::size_t e = k + 2 + name.size();
      if (e <= n && ascii_lower(view().substr(k + 2, name.size())) == name &&
          (e == n || is_ascii_space(src_[e]) || src_[e] == '/' || src_[e] == '>')) {
        Tag ignored;
        const std::size_t next = parse_tag(k + 2, ignored);
        *after = next == kNpos ? n : next;
        return k;
      }
      j = k + 2;
    }
  }

  // --- tree building -----------------------------------------------------------------------

  void on_text(std::string_view raw, bool decode) {
    if (raw.empty()) {
      return;
    }
    const std::string text = decode ? decode_entities(raw) : std::string(raw);
    if (top_is("head") && !is_blank(text)) {
      pop_to(stack_.size() - 1);
    }
    add_text(text);
  }

  std::size_t on_start_tag(const Tag& tag, std::size_t next) {
    if (foreign_depth_ == 0 && is_raw_text(tag.name)) {
      std::size_t after = src_.size();
      const std::size_t end = raw_text_end(next, tag.name, &after);
      on_raw_text(tag, view().substr(next, end - next));
      return after;
    }
    start_element(tag);
    return next;
  }

  void on_raw_text(const Tag& tag, std::string_view body) {
    if (top_is("head") && !is_head_content(tag.name)) {
      pop_to(stack_.size() - 1);
    }
    if (tag.name == "title") {
      if (title_.empty()) {
        title_ = collapse_whitespace(decode_entities(body));
      }
      return;
    }
    if (tag.name == "xmp" && skip_ == 0 && !is_hidden(tag)) {  // obsolete, shown verbatim
      if (pre_depth_ > 0 || inline_depth_ > 0) {
        add_text(body);
        return;
      }
      begin_pre(tag);
      pre_.skip_newline = false;
      add_text(body);
      end_pre();
    }
  }

  void start_element(const Tag& tag) {
    const std::string& name = tag.name;
    if (top_is("head") && !is_head_content(name)) {
      pop_to(stack_.size() - 1);
    }
    if (name == "html" || name == "body" || (name == "head" && head_seen_)) {
      return;
    }
    if (foreign_depth_ > 0 && breaks_out_of_foreign(name) &&
        !is_one_of(stack_.back().name, {"foreignobject", "desc", "title"})) {
      std::size_t k = stack_.size();
      while (k > 0 && stack_[k - 1].foreign) {
        --k;
      }
      pop_to(k);
    }
    if (is_void(name)) {
      if (closes_p(name)) {
        close_in_scope({"p"}, kButtonScope);
      }
      void_element(tag);
      return;
    }
    if (tag.self_closing && (foreign_depth_ > 0 || name == "svg" || name == "math")) {
      return;
    }
    if (stack_.size() >= kMaxOpenElements) {
      return;
    }
    close_implied(name);
    push(tag);
  }

  void close_implied(std::string_view name) {
    if (closes_p(name)) {
      close_in_scope({"p"}, kButtonScope);
    }
    if (name == "li") {
      close_in_scope({"li"}, kListItemScope);
    } else if (name == "dt" || name == "dd") {
      close_in_scope({"dt", "dd"}, kDefinitionScope);
    } else if (heading_level(name) > 0 && !stack_.empty() && heading_level(stack_.back().name)) {
      pop_to(stack_.size() - 1);
    } else if (name == "a") {
      close_in_scope({"a"}, kDefaultScope);
    } else if (name == "tr") {
      close_in_scope({"tr"}, kTableScope);
    } else if (name == "td" || name == "th") {
      close_in_scope({"td", "th"}, kTableScope);
    } else if (is_one_of(name, {"thead", "tbody", "tfoot"})) {
      close_in_scope({"tr", "thead", "tbody", "tfoot"}, kTableScope);
    }
  }

  void on_end_tag(const std::string& name) {
    if (name == "br") {
      Tag br;
      br.name = "br";
      void_element(br);
      return;
    }
    if (name == "html" || name == "body" || is_void(name)) {
      return;
    }
    const Names& scope = name == "p" ? kButtonScope : scope_for_end_tag(name);
    const std::size_t index = find_open({name}, scope);
    if (index != kNpos) {
      pop_to(index);
    } else if (name == "p" && skip_ == 0 && pre_depth_ == 0) {
      break_line(2);  // a stray </p> still ends a paragraph
    }
  }

  bool top_is(std::string_view name) const { return !stack_.empty() && stack_.back().name == name; }

  // The topmost open element named one of `names`, unless an element of `scope` (other than
  // those names) is open above it. Per-name index stacks keep this O(names + scope).
  std::size_t find_open(Names names, Names scope) const {
    std::size_t best = kNpos;
    for (std::string_view name : names) {
      const auto it = open_.find(std::string(name));
      if (it != open_.end() && !it->second.empty() && (best == kNpos || it->second.back() > best)) {
        best = it->second.back();
      }
    }
    if (best == kNpos) {
      return kNpos;
    }
    for (std::string_view name : scope) {
      if (is_one_of(name, names)) {
        continue;
      }
      const auto it = open_.find(std::string(name));
      if (it != open_.end() && !it->second.empty() && it->second.back() > best) {
        return kNpos;
      }
    }
    return best;
  }

  void close_in_scope(Names names, Names scope) {
    const std::size_t index = find_open(names, scope);
    if (index != kNpos) {
      pop_to(index);
    }
  }

  void push(const Tag& tag) {
    OpenElement element;
    element.name = tag.name;
    element.foreign = foreign_depth_ > 0 || tag.name == "svg" || tag.name == "math";
    element.removes = is_removed_name(tag.name) || is_hidden(tag);
    if (tag.name == "head") {
      head_seen_ = true;
    }
    const std::size_t index = stack_.size();
    const bool renders = !element.removes && skip_ == 0;
    if (renders) {
      open_effects(element, tag);
    }
    if (element.removes) {
      ++skip_;
    }
    if (element.foreign) {
      ++foreign_depth_;
    }
    open_[element.name].push_back(index);
    const bool marks = element.kind == Kind::kCode || element.kind == Kind::kLink;
    stack_.push_back(std::move(element));
    if (marks) {
      pending_.marks.push_back(index);
    }
  }

  void pop_to(std::size_t index) {
    while (stack_.size() > index) {
      const std::size_t top = stack_.size() - 1;
      close_effects(stack_[top], top);
      OpenElement& element = stack_[top];
      if (element.removes) {
        --skip_;
      }
      if (element.foreign) {
        --foreign_depth_;
      }
      const auto it = open_.find(element.name);
      if (it != open_.end()) {
        it->second.pop_back();
        if (it->second.empty()) {
          open_.erase(it);
        }
      }
      stack_.pop_back();
    }
  }

  // --- rendering -----------------------------------------------------------------------------

  void open_effects(OpenElement& element, const Tag& tag) {
    const std::string& name = element.name;
    if (pre_depth_ > 0) {  // inside pre everything is transparent
      if (name == "code" && !pre_.fence_written && pre_.lang.empty()) {
        pre_.lang = language_from_class(tag.value("class"));
      }
      return;
    }
    if (const int level = heading_level(name); level > 0) {
      if (inline_depth_ == 0) {
        break_line(2);
        pending_.heading = level;
        ++inline_depth_;
        ++heading_depth_;
        element.kind = Kind::kHeading;
      }
    } else if (is_block_paragraph(name)) {
      break_line(2);
      element.kind = Kind::kParagraph;
    } else if (is_block_line(name)) {
      break_line(1);
      element.kind = Kind::kLine;
    } else if (is_one_of(name, {"ul", "ol", "menu", "dir"})) {
      if (inline_depth_ == 0) {
        break_line(2);
        lists_.push_back({name == "ol", parse_count(tag.value("start")).value_or(1)});
        element.kind = Kind::kList;
      }
    } else if (name == "li") {
      if (inline_depth_ == 0) {
        start_item(tag);
        element.kind = Kind::kListItem;
      } else {
        pending_.space = true;
      }
    } else if (name == "pre" || name == "listing") {
      if (inline_depth_ == 0) {
        begin_pre(tag);
        element.kind = Kind::kPre;
      }
    } else if (is_one_of(name, {"code", "kbd", "samp", "tt"})) {
      element.kind = Kind::kCode;
    } else if (name == "a") {
      const std::string_view href = trim_space(tag.value("href"));
      if (!href.empty()) {
        element.kind = Kind::kLink;
        element.href = std::string(href);
      }
    } else if (name == "table") {
      break_line(2);
      tables_.emplace_back();
      element.kind = Kind::kTable;
    } else if (!tables_.empty() && name == "tr") {
      finish_row();
      tables_.back().row_open = true;
      element.kind = Kind::kRow;
    } else if (!tables_.empty() && (name == "td" || name == "th")) {
      begin_cell(name == "th");
      element.kind = Kind::kCell;
    } else if (!tables_.empty() && is_one_of(name, {"thead", "tbody", "tfoot"})) {
      finish_row();
    }
  }

  void close_effects(OpenElement& element, std::size_t index) {
    switch (element.kind) {
      case Kind::kOther:
        break;
      case Kind::kHeading:
        --inline_depth_;
        --heading_depth_;
        pending_.heading = 0;
        break_line(2);
        break;
      case Kind::kParagraph:
        break_line(2);
        break;
      case Kind::kLine:
        break_line(1);
        break;
      case Kind::kList:
        if (!lists_.empty()) {
          lists_.pop_back();
        }
        break_line(lists_.empty() ? 2 : 1);
        break;
      case Kind::kListItem:
        pending_.marker.clear();  // an item without content leaves no marker behind
        break_line(1);
        break;
      case Kind::kPre:
        end_pre();
        break;
      case Kind::kCode:
        end_code(element, index);
        break;
      case Kind::kLink:
        end_link(element, index);
        break;
      case Kind::kTable:
        finish_row();
        if (!tables_.empty()) {
          tables_.pop_back();
        }
        break_line(2);
        break;
      case Kind::kRow:
        finish_row();
        break;
      case Kind::kCell:
        end_cell();
        break;
    }
  }

  void void_element(const Tag& tag) {
    if (skip_ > 0 || is_hidden(tag)) {
      return;
    }
    const std::string& name = tag.name;
    if (name == "br") {
      if (pre_depth_ > 0) {
        add_text("\n");
      } else if (inline_depth_ > 0) {
        pending_.space = true;
      } else {
        pending_.newlines = std::min(pending_.newlines + 1, lists_.empty() ? 2 : 1);
      }
    } else if (name == "hr") {
      if (pre_depth_ == 0) {
        emit_block("---");
      }
    } else if (name == "img" || name == "image") {
      const std::string alt = collapse_whitespace(tag.value("alt"));
      if (!alt.empty()) {
        if (pre_depth_ == 0) {
          pending_.space = pending_.space || (!out_.empty() && out_.back() != ' ');
          add_text(alt);
        }
      }
    }
  }

  void start_item(const Tag& tag) {
    if (!pending_.marker.empty()) {
      flush();  // the previous item holds only this nested list: keep its marker
    }
    break_line(1);
    const std::size_t depth = lists_.size();
    std::string marker(2 * (depth > 0 ? depth - 1 : 0), ' ');
    if (!lists_.empty() && lists_.back().ordered) {
      ListState& list = lists_.back();
      list.next = parse_count(tag.value("value")).value_or(list.next);
      marker += std::to_string(list.next) + ". ";
      list.next = std::min(list.next + 1, 1000000000L);
    } else {
      marker += "- ";
    }
    pending_.marker = std::move(marker);
  }

  void begin_pre(const Tag& tag) {
    break_line(2);
    ++pre_depth_;
    pre_ = PreState{};
    pre_.lang = language_from_class(tag.value("class"));
    pre_.skip_newline = true;
    // A <code> around this <pre> would put backticks around the fence: it becomes plain.
    for (auto it = pending_.marks.begin(); it != pending_.marks.end();) {
      if (stack_[*it].kind == Kind::kCode) {
        stack_[*it].kind = Kind::kOther;
        it = pending_.marks.erase(it);
      } else {
        ++it;
      }
    }
  }

  void end_pre() {
    if (pre_depth_ > 0) {
      --pre_depth_;
    }
    if (pre_.fence_written) {
      if (!pre_.at_line_start) {
        pre_newline();
      }
      const std::size_t content = std::min(out_.size(), pre_.fence_pos + 3 + pre_.lang.size());
      const std::size_t run = longest_run(std::string_view(out_).substr(content), '`');
      const std::size_t length = run >= 3 ? run + 1 : 3;
      out_.append(length, '`');
      if (length > 3) {
        out_.insert(pre_.fence_pos, length - 3, '`');
      }
    }
    pre_ = PreState{};
    break_line(2);
  }

  void pre_newline() {
    out_ += '\n';
    out_.append(2 * lists_.size(), ' ');
    pre_.at_line_start = true;
  }

  void end_code(OpenElement& element, std::size_t index) {
    if (element.mark == kNpos || element.mark >= out_.size()) {
      std::erase(pending_.marks, index);
      return;
    }
    const std::string_view content = std::string_view(out_).substr(element.mark + 1);
    if (content.empty() || content.find('`') == std::string_view::npos) {
      out_ += '`';
      return;
    }
    // CommonMark: a longer backtick fence, padded when the content starts or ends with one.
    const std::string fence(longest_run(content, '`') + 1, '`');
    const bool pad = content.front() == '`' || content.back() == '`';
    out_ += (pad ? " " : "") + fence;
    out_.replace(element.mark, 1, fence + (pad ? " " : ""));
  }

  void end_link(OpenElement& element, std::size_t index) {
    if (element.mark == kNpos || element.mark > out_.size()) {
      std::erase(pending_.marks, index);
      return;
    }
    const std::string_view text = trim_space(std::string_view(out_).substr(element.mark));
    if (element.href[0] == '#' && is_symbolic(text)) {
      out_.resize(element.mark);  // a heading permalink
      return;
    }
    if (heading_depth_ > 0 || text.empty() || !is_http_url(element.href) ||
        link_key(text) == link_key(element.href)) {
      return;
    }
    out_ += " (" + element.href + ")";
  }

  void begin_cell(bool th) {
    TableState& table = tables_.back();
    table.row_open = true;
    table.saved = std::move(pending_);
    pending_ = Pending{};
    table.cell_open = true;
    table.cell_th = th;
    table.cell_mark = out_.size();
    ++inline_depth_;
  }

  void end_cell() {
    --inline_depth_;
    TableState& table = tables_.back();
    const std::size_t mark = std::min(table.cell_mark, out_.size());
    std::string cell;
    for (char c : collapse_whitespace(std::string_view(out_).substr(mark))) {
      if (c == '|') {
        cell += '\\';
      }
      cell += c;
    }
    out_.resize(mark);
    pending_ = std::move(table.saved);
    table.saved = Pending{};
    table.cells.push_back(std::move(cell));
    table.row_has_th = table.row_has_th || table.cell_th;
    table.cell_open = false;
  }

  void finish_row() {
    if (tables_.empty()) {
      return;
    }
    TableState& table = tables_.back();
    const bool row_open = table.row_open;
    table.row_open = false;
    const bool empty = std::all_of(table.cells.begin(), table.cells.end(),
                                   [](const std::string& cell) { return cell.empty(); });
    if (row_open && !empty && inline_depth_ > 0) {
      // A table inside a cell or heading: its cells become plain words.
      for (const std::string& cell : table.cells) {
        pending_.space = true;
        add_text(cell);
      }
    } else if (row_open && !empty) {
      std::string line = "|";
      for (const std::string& cell : table.cells) {
        line += " " + cell + " |";
      }
      emit_line(line);
      if (table.rows == 0 && table.row_has_th) {
        std::string separator = "|";
        for (std::size_t k = 0; k < table.cells.size(); ++k) {
          separator += " --- |";
        }
        emit_line(separator);
      }
      ++table.rows;
    }
    table.cells.clear();
    table.row_has_th = false;
  }

  // --- output --------------------------------------------------------------------------------

  void add_text(std::string_view text) {
    if (skip_ > 0) {
      return;
    }
    if (pre_depth_ > 0) {
      pre_text(text);
      return;
    }
    std::size_t i = 0;
    while (i < text.size()) {
      if (is_ascii_space(text[i])) {
        pending_.space = true;
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < text.size() && !is_ascii_space(text[j])) {
        ++j;
      }
      flush();
      append_visible(text.substr(i, j - i));
      i = j;
    }
  }

  void pre_text(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (pre_.skip_newline) {
        pre_.skip_newline = false;
        if (c == '\n') {
          continue;
        }
      }
      if (!pre_.fence_written) {
        flush();
        pre_.fence_pos = out_.size();
        out_ += "```" + pre_.lang;
        pre_.fence_written = true;
        pre_newline();
      }
      if (c == '\n') {
        pre_newline();
        continue;
      }
      if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
        out_ += ' ';
        ++i;
      } else {
        out_ += c;
      }
      pre_.at_line_start = false;
    }
  }

  // Appends visible text; a no-break space becomes a plain (uncollapsed) space.
  void append_visible(std::string_view word) {
    std::size_t i = 0;
    while (i < word.size()) {
      const std::size_t nbsp = word.find("\xC2\xA0", i);
      if (nbsp == std::string_view::npos) {
        out_.append(word, i, std::string_view::npos);
        return;
      }
      out_.append(word, i, nbsp - i);
      out_ += ' ';
      i = nbsp + 2;
    }
  }

  void break_line(int newlines) {
    if (inline_depth_ > 0) {
      pending_.space = true;
      return;
    }
    if (!lists_.empty()) {
      newlines = 1;  // items stay tight
    }
    pending_.newlines = std::max(pending_.newlines, newlines);
  }

  void emit_line(std::string_view line) {
    break_line(1);
    flush();
    out_ += line;
    break_line(1);
  }

  void emit_block(std::string_view line) {
    if (inline_depth_ > 0) {
      pending_.space = true;
      return;
    }
    break_line(2);
    flush();
    out_ += line;
    break_line(2);
  }

  void line_prefix() {
    if (!pending_.marker.empty()) {
      out_ += pending_.marker;
      pending_.marker.clear();
    } else {
      out_.append(2 * lists_.size(), ' ');
    }
  }

  // Pays what is owed before visible output: newlines, list marker or indent, a space, a
  // heading's hashes, and the start of open code spans and links.
  void flush() {
    if (pending_.newlines > 0 && !out_.empty()) {
      while (!out_.empty() && out_.back() == ' ') {
        out_.pop_back();
      }
      out_.append(static_cast<std::size_t>(pending_.newlines), '\n');
      line_prefix();
    } else if (out_.empty() || out_.back() == '\n') {
      line_prefix();
    } else if (pending_.space && out_.back() != ' ') {
      out_ += ' ';
    }
    pending_.newlines = 0;
    pending_.space = false;
    if (pending_.heading > 0) {
      out_.append(static_cast<std::size_t>(pending_.heading), '#');
      out_ += ' ';
      h1_written_ = h1_written_ || pending_.heading == 1;
      pending_.heading = 0;
    }
    for (std::size_t index : pending_.marks) {
      OpenElement& element = stack_[index];
      element.mark = out_.size();
      if (element.kind == Kind::kCode) {
        out_ += '`';
      }
    }
    pending_.marks.clear();
  }

  std::string src_;
  std::string out_;
  std::string title_;
  bool h1_written_ = false;
  bool head_seen_ = false;

  std::vector<OpenElement> stack_;
  std::unordered_map<std::string, std::vector<std::size_t>> open_;  // name -> stack indices
  int skip_ = 0;           // open elements that hide their content
  int foreign_depth_ = 0;  // open svg/math elements
  int inline_depth_ = 0;   // headings and table cells: line breaks become spaces
  int heading_depth_ = 0;
  int pre_depth_ = 0;

  Pending pending_;
  std::vector<ListState> lists_;
  std::vector<TableState> tables_;
  PreState pre_;
};

}  // namespace

std::string html_to_text(std::string_view html) { return Converter(html).run(); }

}  // namespace lava_mcp::docs
