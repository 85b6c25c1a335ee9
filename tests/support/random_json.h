// Random JSON documents for the differential tests of json_reader and json_writer against
// nlohmann: strings (values and keys) are pieced from plain text, characters JSON escapes,
// valid multi-byte UTF-8 and broken sequences; numbers of every nlohmann kind.
#pragma once

#include <cstdint>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace lava_mcp::testing {

inline std::string random_json_text(std::mt19937& rng) {
  static const std::string kPieces[] = {"a",
                                        " ",
                                        "\"",
                                        "\\",
                                        "\n",
                                        "\x01",
                                        "\x1f",
                                        "\x7f",
                                        "\xC3\xA9",
                                        "\xE2\x82\xAC",
                                        "\xF0\x9F\x98\x80",
                                        "\xC3",
                                        "\x80",
                                        "\xF8",
                                        "\xED\xB0\x80",
                                        "0123456789"};
  std::string text;
  for (unsigned n = rng() % 10; n > 0; --n) {
    text += kPieces[rng() % std::size(kPieces)];
  }
  return text;
}

// Containers only down to depth 4, so documents stay small.
inline nlohmann::json random_json(std::mt19937& rng, int depth = 0) {
  using Json = nlohmann::json;
  switch (rng() % (depth > 3 ? 6 : 8)) {
    case 0:
      return nullptr;
    case 1:
      return rng() % 2 == 0;
    case 2:
      return static_cast<std::int64_t>(rng()) - (1LL << 31);
    case 3:
      return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
    case 4:
      return static_cast<std::uint64_t>(rng()) << 33;
    case 5:
      return random_json_text(rng);
    case 6: {
      Json array = Json::array();
      for (unsigned n = rng() % 5; n > 0; --n) {
        array.push_back(random_json(rng, depth + 1));
      }
      return array;
    }
    default: {
      Json object = Json::object();
      for (unsigned n = rng() % 5; n > 0; --n) {
        object[random_json_text(rng)] = random_json(rng, depth + 1);
      }
      return object;
    }
  }
}

}  // namespace lava_mcp::testing
