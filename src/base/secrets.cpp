#include "base/secrets.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "base/hex.h"

namespace lava_mcp::secrets {
namespace {

constexpr std::size_t kMinSecretLength = 8;
constexpr std::array<std::string_view, 4> kKeyPrefixes = {"aks_live_", "aks_test_", "lava_sk_",
                                                          "lava_wk_"};
constexpr std::string_view kBearer = "Bearer ";

// Runs: any kMinRun characters in a row of a registered secret are hidden, wherever they sit.
// The registry indexes every kGram-character window of every secret; a run of kMinRun holds a
// whole window that starts at a multiple of kStride, so the scan looks at one text position in
// kStride: one 8-byte load and one bit test each, about as cheap as the plain searches it
// replaced (a 100 KiB line: docs/decisions.md, "Runs, not only whole values").
constexpr std::size_t kMinRun = 12;
constexpr std::size_t kGram = 8;
constexpr std::size_t kStride = kMinRun - kGram + 1;
constexpr unsigned kFilterBitsLog2 = 16;  // 8 KiB: stays in L1, few false hits for ~1000 windows

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// A string whose runs are hidden, and what stands in for one.
struct RunSource {
  std::string text;
  std::string shown;
};

struct Occurrence {
  std::uint32_t source;
  std::uint32_t offset;
};

struct Registry {
  std::vector<std::string> secrets;        // every registered value, for de-duplication
  std::vector<std::string> whole_secrets;  // also hidden whole (see register_secret), longest first
  std::vector<std::string> prefixes;       // families, longest first
  std::vector<RunSource> sources;          // secrets and their base64 forms
  std::unordered_map<std::uint64_t, std::vector<Occurrence>> windows;
  std::vector<std::uint64_t> filter = std::vector<std::uint64_t>((1u << kFilterBitsLog2) / 64);
};

std::shared_mutex g_mutex;
Registry& registry() {
  static Registry value;
  return value;
}

std::uint64_t load_window(const char* at) {
  std::uint64_t window;
  std::memcpy(&window, at, sizeof window);
  return window;
}

std::size_t filter_slot(std::uint64_t window) {
  return static_cast<std::size_t>((window * 0x9E3779B97F4A7C15ull) >> (64 - kFilterBitsLog2));
}

bool filter_has(const Registry& r, std::uint64_t window) {
  const std::size_t slot = filter_slot(window);
  return (r.filter[slot / 64] >> (slot % 64)) & 1u;
}

void add_window_source(Registry& r, std::string text, std::string shown) {
  if (text.size() < kMinRun) {
    return;
  }
  const auto index = static_cast<std::uint32_t>(r.sources.size());
  for (std::size_t at = 0; at + kGram <= text.size(); ++at) {
    const std::uint64_t window = load_window(text.data() + at);
    r.windows[window].push_back({index, static_cast<std::uint32_t>(at)});
    const std::size_t slot = filter_slot(window);
    r.filter[slot / 64] |= std::uint64_t{1} << (slot % 64);
  }
  r.sources.push_back({std::move(text), std::move(shown)});
}

// Indexes the pieces of `text` between quotes and backslashes: JSON escapes those, so a run that
// took one would cut an escape in two and break the line it is in.
void add_source(Registry& r, std::string_view text, const std::string& shown) {
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find_first_of("\"\\", start), text.size());
    add_window_source(r, std::string(text.substr(start, end - start)), shown);
    start = end + 1;
  }
}

std::string base64(std::string_view bytes) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += {kBase64[v >> 18], kBase64[(v >> 12) & 63], kBase64[(v >> 6) & 63], kBase64[v & 63]};
  }
  return out;  // whole groups only: callers keep the characters the secret alone determines
}

// The base64 characters that `secret` alone determines when it starts `shift` bytes into the
// encoded data (0, 1 or 2 bytes after a group boundary): what it looks like inside any base64,
// a body_base64, a data URL or a token, whatever precedes it.
std::string base64_form(std::string_view secret, std::size_t shift) {
  const std::string encoded =
      base64(std::string(shift, '\0') + std::string(secret) + std::string(2, '\0'));
  const std::size_t first = (8 * shift + 5) / 6;            // first character of secret bits only
  const std::size_t end = 8 * (shift + secret.size()) / 6;  // past the last such character
  return end > first ? encoded.substr(first, end - first) : std::string();
}

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '+' || c == '/' || c == '=';
}

bool is_word_separator(char c) { return c == '_' || c == '-' || c == '.'; }

// A documentation placeholder rather than a key: an elision ("sk-...", "eyJhbGci..."), words
// each in one case without digits, or short numbers ("YOUR_API_KEY_HERE", "your-token",
// "Token", "API_KEY_2"), or a filler word ("xxxx", "sk-XXXXXXXX", "aks_live_0000000000"). Real
// keys are random: their long words mix cases and digits, so they never qualify.
bool is_placeholder(std::string_view token) {
  if (token.find("...") != std::string_view::npos) {
    return true;
  }
  bool plain_words = true;
  std::string_view longest;
  std::size_t start = 0;
  while (start <= token.size()) {
    std::size_t end = start;
    while (end < token.size() && !is_word_separator(token[end])) {
      ++end;
    }
    const std::string_view word = token.substr(start, end - start);
    if (word.size() > longest.size()) {
      longest = word;
    }
    bool lower = false;
    bool upper_after_first = false;
    std::size_t digits = 0;
    for (std::size_t i = 0; i < word.size(); ++i) {
      const char c = word[i];
      digits += c >= '0' && c <= '9' ? 1 : 0;
      plain_words = plain_words && c != '+' && c != '/' && c != '=';
      lower = lower || (c >= 'a' && c <= 'z');
      upper_after_first = upper_after_first || (i > 0 && c >= 'A' && c <= 'Z');
    }
    const bool number = digits == word.size() && digits <= 3;  // "KEY_2"
    plain_words = plain_words && (digits == 0 || number) && !(lower && upper_after_first);
    start = end + 1;
  }
  const bool filler = longest.size() >= 4 && std::all_of(longest.begin(), longest.end(),
                                                         [&](char c) { return c == longest[0]; });
  return plain_words || filler;
}

// Replaces each occurrence of `needle` in `text` by `replacement`.
void replace_all(std::string& text, std::string_view needle, const std::string& replacement) {
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + replacement.size())) {
    text.replace(at, needle.size(), replacement);
  }
}

// Hides tokens that start with `prefix`, whatever their value; those with fewer than `min_tail`
// token characters after the prefix stay, and so do placeholders when `keep_placeholders`.
void redact_prefixed(std::string& text, std::string_view prefix, bool keep_prefix,
                     std::size_t min_tail, bool keep_placeholders) {
  for (std::size_t at = text.find(prefix); at != std::string::npos;
       at = text.find(prefix, at + 1)) {
    std::size_t end = at + prefix.size();
    while (end < text.size() && is_token_char(text[end])) {
      ++end;
    }
    const std::string_view tail =
        std::string_view(text).substr(at + prefix.size(), end - at - prefix.size());
    if (tail.size() < min_tail || (keep_placeholders && is_placeholder(tail))) {
      continue;  // "Bearer x" in prose, a bare prefix or "Bearer YOUR_API_KEY": nothing to hide
    }
    const std::string token = text.substr(at + (keep_prefix ? prefix.size() : 0),
                                          end - at - (keep_prefix ? prefix.size() : 0));
    const std::string shown = (keep_prefix ? std::string(prefix) : std::string()) + hint(token);
    text.replace(at, end - at, shown);
  }
}

// True when `text` may hold a Lava-shaped key: some '_' ends "aks_" or "lava_", as in every
// prefix of kKeyPrefixes. One pass for '_' instead of a search per prefix, on every line that
// leaves the process; most hold no key.
bool may_hold_lava_key(std::string_view text) {
  for (std::size_t at = text.find('_'); at != std::string_view::npos; at = text.find('_', at + 1)) {
    if ((at >= 3 && text.substr(at - 3, 3) == "aks") ||
        (at >= 4 && text.substr(at - 4, 4) == "lava")) {
      return true;
    }
  }
  return false;
}

// `text` as a reader would decode it, for finding runs: "\u0061" escapes (with any number of
// backslashes, so JSON-escaped "\\u0061" too) become their ASCII character, and NULs, raw or
// escaped, drop out, which turns UTF-16 (LE or BE) into its ASCII. Positions map back to the
// bytes of `text` through the few places where decoding shifted them. Most text has neither
// NULs nor "\u": then it is used as is.
class DecodedText {
 public:
  explicit DecodedText(std::string_view text) : text_(text) {
    if (text.find('\0') == std::string_view::npos && text.find("\\u") == std::string_view::npos) {
      return;
    }
    decoded_.emplace();
    decoded_->reserve(text.size());
    const char* const base = text.data();
    const char* const end = base + text.size();
    const char* at = base;
    const char* nul = find(base, end, '\0');
    const char* backslash = find(base, end, '\\');
    while (at < end) {
      nul = nul < at ? find(at, end, '\0') : nul;
      backslash = backslash < at ? find(at, end, '\\') : backslash;
      const char* const special = std::min(nul, backslash);
      decoded_->append(at, special);
      if (special == end) {
        break;
      }
      if (*special == '\0') {
        at = special + 1;
        mark_shift(static_cast<std::size_t>(at - base));
        continue;
      }
      const char* after = special;
      while (after < end && *after == '\\') {
        ++after;
      }
      const int unit = escaped_unit(std::string_view(after, static_cast<std::size_t>(end - after)));
      if (unit < 0) {
        decoded_->append(special, after);  // backslashes that escape nothing ASCII stay
        at = after;
        continue;
      }
      if (unit > 0) {
        shifts_.push_back({decoded_->size(), static_cast<std::size_t>(special - base)});
        decoded_->push_back(static_cast<char>(unit));
      }
      at = after + 5;
      mark_shift(static_cast<std::size_t>(at - base));
    }
  }
  std::string_view chars() const { return decoded_ ? std::string_view(*decoded_) : text_; }
  // Where decoded character `i` starts in `text`; a decoded end maps past what was dropped there.
  std::size_t source_of(std::size_t i) const {
    if (!decoded_ || i >= decoded_->size()) {
      return decoded_ ? text_.size() : i;
    }
    const auto after =
        std::upper_bound(shifts_.begin(), shifts_.end(), i,
                         [](std::size_t d, const Shift& s) { return d < s.decoded; });
    if (after == shifts_.begin()) {
      return i;
    }
    const Shift& shift = *std::prev(after);
    return shift.source + (i - shift.decoded);
  }

 private:
  // From decoded character `decoded` on, decoded and source positions advance together.
  struct Shift {
    std::size_t decoded;
    std::size_t source;
  };
  static const char* find(const char* at, const char* end, char c) {
    const void* found = std::memchr(at, c, static_cast<std::size_t>(end - at));
    return found != nullptr ? static_cast<const char*>(found) : end;
  }
  void mark_shift(std::size_t source) {
    if (!shifts_.empty() && shifts_.back().decoded == decoded_->size()) {
      shifts_.back().source = source;
    } else {
      shifts_.push_back({decoded_->size(), source});
    }
  }
  // The ASCII code unit of "uXXXX" at the start of `text`, -1 when there is none or not ASCII.
  static int escaped_unit(std::string_view text) {
    if (text.size() < 5 || text[0] != 'u') {
      return -1;
    }
    int unit = 0;
    for (std::size_t i = 1; i < 5; ++i) {
      const char c = text[i];
      const int digit = hex_digit_value(c);
      if (digit < 0) {
        return -1;
      }
      unit = unit * 16 + digit;
    }
    return unit < 0x80 ? unit : -1;
  }

  std::string_view text_;
  std::optional<std::string> decoded_;
  std::vector<Shift> shifts_;
};

struct Run {
  std::size_t begin;  // in the decoded text
  std::size_t end;
  std::uint32_t source;
};

// The longest match of a registered source around the window at `at`, at least kMinRun long.
std::optional<Run> run_at(const Registry& r, std::string_view text, std::size_t at,
                          const std::vector<Occurrence>& occurrences) {
  std::optional<Run> best;
  for (const Occurrence& occurrence : occurrences) {
    const std::string& source = r.sources[occurrence.source].text;
    std::size_t left = 0;
    while (left < occurrence.offset && left < at &&
           text[at - left - 1] == source[occurrence.offset - left - 1]) {
      ++left;
    }
    std::size_t right = kGram;
    while (occurrence.offset + right < source.size() && at + right < text.size() &&
           text[at + right] == source[occurrence.offset + right]) {
      ++right;
    }
    if (left + right >= kMinRun && (!best || left + right > best->end - best->begin)) {
      best = Run{at - left, at + right, occurrence.source};
    }
  }
  return best;
}

std::vector<Run> find_runs(const Registry& r, std::string_view text) {
  std::vector<Run> runs;
  std::size_t covered = 0;  // windows inside the last run need no second look
  for (std::size_t at = 0; at + kGram <= text.size(); at += kStride) {
    if (at + kGram <= covered) {
      continue;
    }
    const std::uint64_t window = load_window(text.data() + at);
    if (!filter_has(r, window)) {
      continue;
    }
    const auto found = r.windows.find(window);
    if (found == r.windows.end()) {
      continue;
    }
    if (const auto run = run_at(r, text, at, found->second)) {
      runs.push_back(*run);
      covered = std::max(covered, run->end);
    }
  }
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.begin < b.begin; });
  std::vector<Run> merged;
  for (const Run& run : runs) {
    if (!merged.empty() && run.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, run.end);
    } else {
      merged.push_back(run);
    }
  }
  return merged;
}

// `text` with every run of a registered source replaced by its source's hint.
std::string redact_runs(const Registry& r, std::string text) {
  if (r.sources.empty() || text.size() < kMinRun) {
    return text;
  }
  const DecodedText decoded(text);
  const std::vector<Run> runs = find_runs(r, decoded.chars());
  if (runs.empty()) {
    return text;
  }
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  for (const Run& run : runs) {
    const std::size_t begin = decoded.source_of(run.begin);
    out.append(text, copied, begin - copied);
    out.append(r.sources[run.source].shown);
    copied = decoded.source_of(run.end);
  }
  out.append(text, copied, std::string::npos);
  return out;
}

void sort_longest_first(std::vector<std::string>& values) {
  std::sort(values.begin(), values.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

}  // namespace

void register_secret(std::string_view value) {
  if (value.size() < kMinSecretLength) {
    return;
  }
  std::unique_lock lock(g_mutex);
  Registry& r = registry();
  if (std::find(r.secrets.begin(), r.secrets.end(), value) != r.secrets.end()) {
    return;
  }
  r.secrets.emplace_back(value);
  // Runs never take a quote or a backslash, so a value holding one may have no run long
  // enough, and a value under kMinRun has none: those are also hidden whole.
  if (value.size() < kMinRun || value.find_first_of("\"\\") != std::string_view::npos) {
    r.whole_secrets.emplace_back(value);
    sort_longest_first(r.whole_secrets);
  }
  const std::string shown = hint(value);
  add_source(r, value, shown);
  for (std::size_t shift = 0; shift < 3; ++shift) {
    add_source(r, base64_form(value, shift), shown);
  }
}

void register_secret_prefix(std::string_view prefix) {
  if (prefix.size() < kMinSecretLength) {
    return;
  }
  std::unique_lock lock(g_mutex);
  Registry& r = registry();
  if (std::find(r.prefixes.begin(), r.prefixes.end(), prefix) != r.prefixes.end()) {
    return;
  }
  r.prefixes.emplace_back(prefix);
  sort_longest_first(r.prefixes);
  // No runs of it: its start is the base64 of `{"secret_key":"`, every token's, secret or not;
  // a token cut before the family's end shows its key's base64, a run of the registered key.
}

std::string redact(std::string_view text) {
  std::string out(text);
  {
    std::shared_lock lock(g_mutex);
    const Registry& r = registry();
    // Families first, so a whole token goes rather than the part a registered secret matches.
    for (const auto& prefix : r.prefixes) {
      redact_prefixed(out, prefix, false, 0, false);
    }
    for (const auto& value : r.whole_secrets) {
      if (out.find(value) != std::string::npos) {
        replace_all(out, value, hint(value));
      }
    }
    out = redact_runs(r, std::move(out));
  }
  if (may_hold_lava_key(out)) {
    for (std::string_view prefix : kKeyPrefixes) {
      redact_prefixed(out, prefix, false, 4, true);
    }
  }
  redact_prefixed(out, kBearer, true, 4, true);
  return out;
}

std::string hint(std::string_view key) {
  const std::string last4(key.substr(key.size() >= 4 ? key.size() - 4 : 0));
  if (key.size() < 12) {
    return "…" + last4.substr(last4.size() > 2 ? last4.size() - 2 : 0);
  }
  for (std::string_view prefix : kKeyPrefixes) {
    if (key.substr(0, prefix.size()) == prefix) {
      return std::string(prefix) + "…" + last4;
    }
  }
  return "…" + last4;
}

}  // namespace lava_mcp::secrets
