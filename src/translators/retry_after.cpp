// Retry-After parsing (translation.md 9.2): retry-after-ms, retry-after as seconds or an
// HTTP-date (RFC 9110 5.6.7, all three forms), then Google's RetryInfo in the error body.
#include <array>
#include <vector>

#include "base/bounded_json.h"
#include "translators/common.h"

namespace lava_mcp::translators {
namespace {

using detail::json;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// Digits with an optional fraction ("3", "1.5"); signs, exponents and junk are invalid.
std::optional<double> parse_decimal(std::string_view text) {
  text = trim(text);
  double value = 0;
  double scale = 0;
  bool digits = false;  // digits since the start or since the dot
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      digits = true;
      if (scale == 0) {
        value = value * 10 + (c - '0');
      } else {
        value += (c - '0') * scale;
        scale /= 10;
      }
    } else if (c == '.' && scale == 0 && digits) {
      scale = 0.1;
      digits = false;
    } else {
      return std::nullopt;
    }
  }
  return digits ? std::optional<double>(value) : std::nullopt;
}

std::optional<int> parse_int(std::string_view text, std::size_t min_digits,
                             std::size_t max_digits) {
  if (text.size() < min_digits || text.size() > max_digits) {
    return std::nullopt;
  }
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<int> parse_month(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) {
      return static_cast<int>(i) + 1;
    }
  }
  return std::nullopt;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
long long days_from_civil(long long year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const long long era = (year >= 0 ? year : year - 399) / 400;
  const long long year_of_era = year - era * 400;
  const long long day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const long long day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (!text.empty()) {
    const std::size_t end = text.find(separator);
    if (end != 0) {
      parts.push_back(text.substr(0, end));
    }
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return parts;
}

std::optional<long long> epoch(long long year, std::optional<int> month, std::optional<int> day,
                               std::string_view clock) {
  const auto hms = split(clock, ':');
  if (!month || !day || hms.size() != 3 || *day < 1 || *day > 31) {
    return std::nullopt;
  }
  const auto hour = parse_int(hms[0], 2, 2);
  const auto minute = parse_int(hms[1], 2, 2);
  const auto second = parse_int(hms[2], 2, 2);
  if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  return days_from_civil(year, *month, *day) * 86400 + *hour * 3600 + *minute * 60 + *second;
}

// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" and
// asctime "Sun Nov  6 08:49:37 1994", as Unix seconds.
std::optional<long long> parse_http_date(std::string_view text, long long now) {
  const auto tokens = split(trim(text), ' ');
  if (tokens.size() == 6 && tokens[0].back() == ',' && tokens[5] == "GMT") {
    const auto year = parse_int(tokens[3], 4, 4);
    return year ? epoch(*year, parse_month(tokens[2]), parse_int(tokens[1], 2, 2), tokens[4])
                : std::nullopt;
  }
  if (tokens.size() == 4 && tokens[0].back() == ',' && tokens[3] == "GMT") {
    const auto date = split(tokens[1], '-');
    const auto yy = date.size() == 3 ? parse_int(date[2], 2, 2) : std::nullopt;
    if (!yy) {
      return std::nullopt;
    }
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    const long long now_year = 1970 + now / 31556952;
    long long year = 2000 + *yy;
    if (year > now_year + 50) {
      year -= 100;
    }
    return epoch(year, parse_month(date[1]), parse_int(date[0], 2, 2), tokens[2]);
  }
  if (tokens.size() == 5) {
    const auto year = parse_int(tokens[4], 4, 4);
    return year ? epoch(*year, parse_month(tokens[1]), parse_int(tokens[2], 1, 2), tokens[3])
                : std::nullopt;
  }
  return std::nullopt;
}

// "17s", "0.5s": google.protobuf.Duration in its JSON form.
std::optional<double> google_retry_delay(std::string_view body) {
  const json parsed = parse_bounded_json(body);
  const json& root = parsed.is_array() && !parsed.empty() ? parsed.front() : parsed;
  const json* error = detail::object_member(root, "error");
  const json* details = error == nullptr ? nullptr : detail::array_member(*error, "details");
  for (const json& entry : details == nullptr ? json::array() : *details) {
    const std::string* type = detail::string_member(entry, "@type");
    const std::string* delay = detail::string_member(entry, "retryDelay");
    if (type == nullptr || delay == nullptr ||
        type->find("google.rpc.RetryInfo") == std::string::npos || delay->empty() ||
        delay->back() != 's') {
      continue;
    }
    return parse_decimal(std::string_view(*delay).substr(0, delay->size() - 1));
  }
  return std::nullopt;
}

std::optional<double> header_delay(
    const std::function<std::optional<std::string>(std::string_view)>& header, long long now) {
  for (const char* name : {"retry-after-ms", "x-ms-retry-after-ms"}) {
    if (const auto value = header(name)) {
      if (const auto ms = parse_decimal(*value)) {
        return *ms / 1000;
      }
    }
  }
  const auto value = header("retry-after");
  if (!value) {
    return std::nullopt;
  }
  if (const auto seconds = parse_decimal(*value)) {
    return seconds;
  }
  const auto date = parse_http_date(*value, now);
  if (!date) {
    return std::nullopt;
  }
  const auto response_date = header("date");
  const auto base = response_date ? parse_http_date(*response_date, now) : std::nullopt;
  const long long delay = *date - base.value_or(now);
  return delay < 0 ? 0.0 : static_cast<double>(delay);
}

}  // namespace

std::optional<RetryAfter> parse_retry_after(
    const std::function<std::optional<std::string>(std::string_view)>& header,
    std::string_view body, long long now_epoch_seconds) {
  std::optional<double> seconds = header ? header_delay(header, now_epoch_seconds) : std::nullopt;
  if (!seconds) {
    seconds = google_retry_delay(body);
  }
  if (!seconds) {
    return std::nullopt;
  }
  return RetryAfter{*seconds, *seconds > kRetryAfterCapSeconds};
}

}  // namespace lava_mcp::translators
