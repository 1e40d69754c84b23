/** @file
 *  @brief The text pipeline: UTF-8 repair -> ICU word boundaries -> NFKC_CF/accent fold -> Snowball.
 */
#include "analyzers/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/ubrk.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "analyzers/normalize.h"
#include "analyzers/stemmer.h"
#include "base/utf8.h"

namespace dateline {

namespace {

// Texts are analysed in chunks of about this many bytes (256 KB: at most 0.5 MB of UTF-16 and 1 MB
// of offsets, still cache-friendly), cut just before an ASCII separator byte (a word boundary under
// every UAX #29 rule), whatever the caller passes; ICU's int32_t indexes can never overflow.
constexpr size_t kChunkBytes = size_t{1} << 18;

bool is_separator_byte(unsigned char b) {
  return b <= 0x20 || b == 0x7F;
}

// End of the chunk starting at `start`: text.size() if it fits, else the last separator byte
// before the limit; failing that (a megabyte without a space: junk), a UTF-8 character boundary.
size_t chunk_end(std::string_view text, size_t start) {
  if (text.size() - start <= kChunkBytes) return text.size();
  const size_t limit = start + kChunkBytes;
  for (size_t i = limit; i > start + kChunkBytes / 2; --i) {
    if (is_separator_byte(static_cast<unsigned char>(text[i]))) return i;
  }
  return utf8::previous_boundary(text, limit, limit - 3);
}

std::vector<std::pair<std::string, std::string>> split_settings(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t semi = text.find(';', pos);
    if (semi == std::string_view::npos) semi = text.size();
    const std::string_view part = text.substr(pos, semi - pos);
    pos = semi + 1;
    if (part.empty()) continue;  // tolerate "a=1;;b=2" and a trailing ';'
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      throw std::invalid_argument("analyzer setting '" + std::string(part) + "' is not key=value");
    }
    out.emplace_back(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
  }
  return out;
}

}  // namespace

std::string AnalyzerConfig::serialise() const {
  return "language=" + language + ";fold_accents=" + (fold_accents ? "1" : "0") +
         (possessives ? ";possessives=1" : "");
}

AnalyzerConfig AnalyzerConfig::parse(std::string_view text) {
  AnalyzerConfig config;
  config.possessives = false;  // absent: a database indexed before possessive folding
  bool seen_language = false;
  bool seen_fold = false;
  bool seen_possessives = false;
  const auto settings = split_settings(text);
  if (settings.empty()) throw std::invalid_argument("empty analyzer configuration");
  for (const auto& [key, value] : settings) {
    if (key == "language") {
      if (seen_language) throw std::invalid_argument("analyzer setting 'language' given twice");
      seen_language = true;
      try {
        config.language = text::canonical_language(value);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("analyzer setting 'language=" + value + "': " + e.what());
      }
    } else if (key == "fold_accents") {
      if (seen_fold) throw std::invalid_argument("analyzer setting 'fold_accents' given twice");
      seen_fold = true;
      if (value == "1" || value == "true") {
        config.fold_accents = true;
      } else if (value == "0" || value == "false") {
        config.fold_accents = false;
      } else {
        throw std::invalid_argument("analyzer setting 'fold_accents=" + value + "': expected 0 or 1");
      }
    } else if (key == "possessives") {
      if (seen_possessives) throw std::invalid_argument("analyzer setting 'possessives' given twice");
      seen_possessives = true;
      if (value != "0" && value != "1") {
        throw std::invalid_argument("analyzer setting 'possessives=" + value + "': expected 0 or 1");
      }
      config.possessives = value == "1";
    } else {
      // A setting this build does not know changes terms in ways it cannot reproduce: refuse.
      throw std::invalid_argument("unknown analyzer setting '" + key + "'");
    }
  }
  return config;
}

struct Analyzer::Impl {
  explicit Impl(AnalyzerConfig c)
      : config(std::move(c)), stemmer(config.language), folder(config.fold_accents) {
    config.language = text::canonical_language(config.language);
    english = config.language == "english";
    cut_possessives = config.possessives && english;
    UErrorCode status = U_ZERO_ERROR;
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status) || !words) {
      throw std::runtime_error(std::string("ICU word break iterator unavailable: ") + u_errorName(status));
    }
  }

  uint32_t run(std::string_view text, std::vector<Token>& out, uint32_t position);

  AnalyzerConfig config;
  bool english = false;  ///< the language has stop words (is_stop_word(), asked for every word indexed)
  bool cut_possessives = false;
  text::Stemmer stemmer;
  text::Folder folder;
  std::unique_ptr<icu::BreakIterator> words;
  icu::UnicodeString buffer;      ///< UTF-16 of the current chunk (reused)
  std::vector<uint32_t> offsets;  ///< UTF-16 index -> byte offset in the chunk (reused)
  icu::UnicodeString query_word;  ///< fold()'s input: never the buffer `words` points into
  std::vector<uint32_t> query_offsets;
};

uint32_t Analyzer::Impl::run(std::string_view text, std::vector<Token>& out, uint32_t position) {
  // A word's stem is looked up one word late: its cache set is prefetched when the word is folded and read
  // after the next word was found, so ICU's work hides the wait for the set (Stemmer::prefetch()).
  constexpr size_t kNone = SIZE_MAX;
  size_t unstemmed = kNone;  // index in `out` of the word whose stem is still to be looked up
  uint64_t unstemmed_hash = 0;  // its Stemmer::hash()
  const bool stemming = stemmer.enabled();
  auto stem_pending = [&] {
    if (unstemmed == kNone) return;
    out[unstemmed].stem = stemmer.stem(out[unstemmed].term, unstemmed_hash);
    unstemmed = kNone;
  };
  for (size_t start = 0; start < text.size();) {
    const size_t end = chunk_end(text, start);
    const std::string_view chunk = text.substr(start, end - start);
    text::decode_utf8(chunk, buffer, offsets);
    words->setText(buffer);
    const char16_t* units = buffer.getBuffer();
    int32_t from = words->first();
    for (int32_t to = words->next(); to != icu::BreakIterator::DONE; from = to, to = words->next()) {
      // UBRK_WORD_NONE..: spaces, punctuation, symbols, U+FFFD. Everything else (letters,
      // numbers, kana, ideographs) is a word.
      if (words->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
      Token& tok = out.emplace_back();
      const bool stemmable = folder.fold(units + from, to - from, tok.term);
      if (tok.term.empty()) {  // only default-ignorable code points: not a word
        out.pop_back();
        continue;
      }
      if (cut_possessives && tok.term.size() > 2 && tok.term.ends_with("'s")) {
        tok.term.resize(tok.term.size() - 2);  // apostrophe look-alikes are all ' by now
      }
      const uint32_t pos = position++;
      if (tok.term.size() > kMaxTermBytes) {
        out.pop_back();
        continue;
      }
      tok.position = pos;
      tok.begin = start + offsets[static_cast<size_t>(from)];
      tok.end = start + offsets[static_cast<size_t>(to)];
      if (stemmable && stemming) {
        const uint64_t hash = stemmer.prefetch(tok.term);
        stem_pending();
        unstemmed = out.size() - 1;
        unstemmed_hash = hash;
      }
    }
    start = end;
  }
  stem_pending();
  return position;
}

Analyzer::Analyzer(AnalyzerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

const AnalyzerConfig& Analyzer::config() const {
  return impl_->config;
}

std::vector<Token> Analyzer::analyze(std::string_view text, uint32_t first_position) const {
  std::vector<Token> out;
  // ~6 bytes per word in English news: usually one allocation; capped so a huge text does not
  // reserve gigabytes up front.
  out.reserve(std::min<size_t>(text.size() / 6 + 1, size_t{1} << 16));
  impl_->run(text, out, first_position);
  return out;
}

uint32_t Analyzer::analyze_into(std::string_view text, std::vector<Token>& out,
                                uint32_t first_position) const {
  return impl_->run(text, out, first_position);
}

namespace {

// Lucene's EnglishAnalyzer / StopAnalyzer.ENGLISH_STOP_WORDS_SET. Changing it changes the article
// documents' terms: a schema version bump (analyzers/schema.h).
constexpr std::string_view kEnglishStopWords[] = {
    "a",   "an",    "and",  "are",   "as",    "at",   "be",   "but", "by",  "for",  "if",
    "in",  "into",  "is",   "it",    "no",    "not",  "of",   "on",  "or",  "such", "that",
    "the", "their", "then", "there", "these", "they", "this", "to",  "was", "will", "with"};
constexpr size_t kLongestStopWord = 5;
static_assert(std::all_of(std::begin(kEnglishStopWords), std::end(kEnglishStopWords),
                          [](std::string_view w) { return !w.empty() && w.size() <= kLongestStopWord; }));

// A word of at most kLongestStopWord bytes as one number: its bytes, and its length in the top byte (so
// "a" and "a\0" differ). Two such words are equal exactly when their keys are.
uint64_t short_word_key(std::string_view w) {
  uint64_t key = 0;
  std::memcpy(&key, w.data(), w.size());
  return key | (uint64_t{w.size()} << 56);
}

// The stop words' keys in an open-addressing table of 128 slots (a third full), placed by the top bits of
// the key times a large odd number: a word is one multiply and, nearly always, one or two compares away,
// where a binary search among the 33 keys took six compares and as many hard-to-predict branches.
class StopWordTable {
 public:
  StopWordTable() {
    for (std::string_view w : kEnglishStopWords) {
      const uint64_t key = short_word_key(w);
      size_t at = slot(key);
      while (slots_[at] != 0) at = (at + 1) % kSlots;
      slots_[at] = key;
    }
  }
  bool contains(uint64_t key) const {
    for (size_t at = slot(key);; at = (at + 1) % kSlots) {
      if (slots_[at] == key) return true;
      if (slots_[at] == 0) return false;  // no key is 0: each holds its length
    }
  }

 private:
  static constexpr size_t kSlots = 128;
  static size_t slot(uint64_t key) { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> 57); }
  std::array<uint64_t, kSlots> slots_{};
};

}  // namespace

bool Analyzer::is_stop_word(std::string_view term) const {
  if (!impl_->english) return false;
  // Called for every word indexed: a look-up of the word's key, not a string compare with each stop word.
  if (term.empty() || term.size() > kLongestStopWord) return false;
  static const StopWordTable table;
  return table.contains(short_word_key(term));
}

std::string Analyzer::stem(std::string_view term) const {
  if (!impl_->stemmer.enabled() || term.empty()) return {};
  // Decide stemmability exactly as analyze() does: re-fold the term (folding is idempotent, so a
  // Token::term comes back unchanged) and take the Folder's verdict.
  std::string scratch;
  if (term.size() > kChunkBytes) return {};
  const icu::UnicodeString units =
      icu::UnicodeString::fromUTF8(icu::StringPiece(term.data(), static_cast<int32_t>(term.size())));
  if (!impl_->folder.fold(units.getBuffer(), units.length(), scratch)) return {};
  return std::string(impl_->stemmer.stem(term));
}

std::string Analyzer::fold(std::string_view word) const {
  if (word.size() > kChunkBytes) throw std::length_error("word too long to fold");
  text::decode_utf8(word, impl_->query_word, impl_->query_offsets);
  std::string out;
  impl_->folder.fold(impl_->query_word.getBuffer(), impl_->query_word.length(), out);
  // As run() does.
  if (impl_->cut_possessives && out.size() > 2 && out.ends_with("'s")) out.resize(out.size() - 2);
  return out;
}

std::string describe(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& tok : tokens) {
    if (!out.empty()) out += ' ';
    out += tok.term;
    out += '[';
    char digits[16];
    const auto res = std::to_chars(digits, digits + sizeof digits, tok.position);
    out.append(digits, res.ptr);
    out += ']';
  }
  return out;
}

std::string available_languages() {
  return Xapian::Stem::get_available_languages();
}

}  // namespace dateline
