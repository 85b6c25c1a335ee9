#include "gateway/browser.h"

#include <cctype>

#include "base/hex.h"
#include "base/secrets.h"
#include "gateway/browser_system.h"
#include "platform/host_system.h"

namespace lava_mcp::gateway {
namespace {

std::string html_attribute(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// A JavaScript string literal: every ASCII character but letters and digits escaped, so nothing
// in the URL can end the string or the script element.
std::string js_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || byte >= 0x80) {
      out.push_back(c);
    } else {
      out += "\\u00";
      append_hex_byte(out, byte);
    }
  }
  return out + "\"";
}

// BROWSER's words: split on whitespace; with `quotes_group`, double quotes group (and are
// dropped).
std::vector<std::string> split_words(const std::string& spec, bool quotes_group) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  bool quoted = false;
  for (const char c : spec) {
    if (c == '"' && quotes_group) {
      quoted = !quoted;
      in_word = true;
    } else if (!quoted && std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) {
        words.push_back(std::move(word));
        word.clear();
      }
      in_word = false;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  if (in_word) {
    words.push_back(std::move(word));
  }
  return words;
}

void append_quoted_argument(std::string& line, const std::string& arg) {
  if (!arg.empty() && arg.find_first_of(" \t\n\v\"") == std::string::npos) {
    line += arg;  // backslashes not before a quote are literal
    return;
  }
  line.push_back('"');
  std::size_t backslashes = 0;
  for (const char c : arg) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    // Before a quote each backslash is doubled and the quote escaped; elsewhere they stand.
    line.append(c == '"' ? 2 * backslashes + 1 : backslashes, '\\');
    backslashes = 0;
    line.push_back(c);
  }
  line.append(2 * backslashes, '\\');  // before the closing quote, which they must not escape
  line.push_back('"');
}

bool names_a_key(std::string_view name) {
  if (name.rfind("LAVA_", 0) != 0) {
    return false;
  }
  for (const std::string_view word : {"KEY", "SECRET", "TOKEN"}) {
    if (name.find(word) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

// A script that replaces the page at once (headless Chromium's --dump-dom does not wait for a
// meta refresh), a meta refresh for a browser without script, and a link for the rest.
std::string redirect_html(const std::string& url) {
  const std::string href = html_attribute(url);
  return "<!doctype html><html><head><meta charset=\"utf-8\">"
         "<script>location.replace(" +
         js_string(url) +
         ")</script>"
         "<meta http-equiv=\"refresh\" content=\"0; url=" +
         href +
         "\">"
         "<title>Lava: sign in</title></head><body style=\"font-family:sans-serif\">"
         "<p><a id=\"login\" href=\"" +
         href +
         "\">Continue to sign in to Lava</a></p>"
         "</body></html>\n";
}

std::vector<std::string> browser_command(const std::optional<std::string>& browser,
                                         const std::string& address, platform::HostSystem system) {
  const std::string spec = browser.value_or(platform::default_browser_command(system));
  std::vector<std::string> argv = split_words(spec, system == platform::HostSystem::kWindows);
  if (argv.empty() || (argv.size() == 1 && argv[0] == "none")) {
    return {};
  }
  bool substituted = false;
  for (auto& arg : argv) {
    for (auto at = arg.find("%s"); at != std::string::npos;
         at = arg.find("%s", at + address.size())) {
      arg.replace(at, 2, address);
      substituted = true;
    }
  }
  if (!substituted) {
    argv.push_back(address);
  }
  return argv;
}

std::vector<std::string> browser_environment(char** environment) {
  std::vector<std::string> kept;
  for (char** entry = environment; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const auto equals = variable.find('=');
    const std::string_view name = variable.substr(0, equals);
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : variable.substr(equals + 1);
    if (!names_a_key(name) && secrets::redact(value) == value) {
      kept.emplace_back(variable);
    }
  }
  return kept;
}

std::string windows_command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) {
      line.push_back(' ');
    }
    append_quoted_argument(line, arg);
  }
  return line;
}

Expected<std::unique_ptr<RedirectPage>> open_in_browser(const std::optional<std::string>& browser,
                                                        const std::string& url) {
  // BROWSER unset on Windows: no command, the shell's "open". Elsewhere the opener is a command.
  const bool system_opener =
      !browser && platform::default_browser_command(platform::this_host_system()).empty();
  if (!system_opener && browser_command(browser, url).empty()) {
    return std::unique_ptr<RedirectPage>();
  }
  auto page = RedirectPage::create(url);
  if (!page) {
    return page;
  }
  const std::string address = (*page)->file_url();
  const auto started =
      system_opener ? open_with_system(address) : start_browser(browser_command(browser, address));
  if (!started) {
    return fail(started.error());
  }
  return page;
}

}  // namespace lava_mcp::gateway
