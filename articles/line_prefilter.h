/** @file
 *  @brief A cheap necessary condition for whole-line, case-insensitive ICU regex matches: literal prefixes
 *         and required substrings read from the patterns themselves.
 */
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dateline {

/// Answers "could any of these patterns match this whole line?" without running a regex engine.
///
/// Each pattern (ICU syntax, matched case-insensitively against a whole line) is read into a condition that
/// every line it matches meets: the line starts with one of a set of literal strings, and/or contains one of
/// another set. The reading is conservative: a construct it does not know (lookaround, back references, set
/// operations, ...) leaves that pattern without a condition, so every line may match. A line holding a
/// character that changes under Unicode case folding outside ASCII ("ſ", "K", "ß", "É") may match a pattern
/// literal that is spelled differently, so it always passes.
///
/// may_match() false means no pattern matches; true means "run the regex".
class LinePrefilter {
 public:
  explicit LinePrefilter(const std::vector<std::string>& patterns);

  /// False only when no pattern can match the whole of `line`.
  bool may_match(std::string_view line) const;

  /// The patterns (indexes into the list given, ascending) that may match the whole of `line`: every one when
  /// the line cannot be read (a pattern without a condition, a character that folds outside ASCII). Empty
  /// exactly when may_match() is false. For a caller that runs the patterns one by one: only these need to.
  void candidates(std::string_view line, std::vector<size_t>& out) const;

  /// Number of patterns read into no condition (each makes may_match() always true when nonzero).
  size_t unconditional() const { return unconditional_; }

 private:
  struct Condition {
    bool has_prefixes = false;
    std::vector<std::string> prefixes;  // lowercased; the line starts with one of them
    bool has_required = false;
    std::vector<std::string> required;  // lowercased; the line contains one of them
  };
  /// A condition's prefixes that start with one byte.
  struct Bucket {
    size_t condition;
    std::vector<std::string> prefixes;
  };
  static bool has_required(const Condition& cond, std::string_view lower);
  /// `line` lowered (ASCII) into `out`; false when it holds a byte that is not UTF-8 or a character that
  /// folds outside ASCII (such a line may match anything).
  static bool lower_line(std::string_view line, std::string& out);
  /// Does `lower` contain one of the required strings of the conditions without prefixes? One pass over
  /// the line instead of one search per string.
  bool has_any_unprefixed(std::string_view lower) const;

  std::vector<Condition> conditions_;
  std::array<std::vector<Bucket>, 256> by_first_byte_;  // by the first byte of the line, lowered
  std::vector<size_t> without_prefixes_;                 // conditions checked on every line
  // The required strings of those conditions: one-byte ones as a byte set, longer ones by their first two
  // bytes (a bit per byte pair, then the strings of that pair).
  std::array<bool, 256> single_byte_{};
  std::vector<uint64_t> pair_bits_ = std::vector<uint64_t>(65536 / 64);
  std::vector<std::pair<uint16_t, std::string>> by_pair_;  // sorted by pair
  size_t unconditional_ = 0;
};

}  // namespace dateline
