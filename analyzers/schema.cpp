/** @file
 *  @brief The index contract: field lookup, boolean-term normalisation, version stamp.
 */
#include "analyzers/schema.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <xapian.h>

#include <algorithm>
#include <stdexcept>

#include "base/ascii.h"
#include "base/leb128.h"
#include "base/utf8.h"

namespace dateline::schema {

const Field* find_field(std::string_view name) {
  for (const auto& f : kFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool is_text_term(std::string_view term) {
  if (term.empty()) return false;
  const auto starts = [&](std::string_view prefix) {
    return term.size() > prefix.size() && term.substr(0, prefix.size()) == prefix &&
           !(term[prefix.size()] >= 'A' && term[prefix.size()] <= 'Z');
  };
  if (!(term[0] >= 'A' && term[0] <= 'Z')) return true;  // unprefixed: exact body word
  return starts(kTitle) || starts(kArticleText) || starts(kArticleTitle);
}

std::vector<std::string> split_forms(std::string_view value) { return ascii::split(value, '\n'); }

std::string join_forms(const std::vector<std::string>& forms) {
  std::vector<std::string> sorted = forms;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string out;
  for (const auto& f : sorted) {
    if (!out.empty()) out += '\n';
    out += f;
  }
  return out;
}

bool owns_ranking_term(std::string_view rank_word, std::string_view stem, bool stop) {
  return !stop && (stem.empty() || stem == rank_word);
}

std::vector<std::string> ranking_forms(std::string_view rank_word, bool own, const std::vector<std::string>& stored) {
  std::vector<std::string> out;
  if (own) out.push_back(std::string(kBody) + std::string(rank_word));
  for (const std::string& value : stored) {
    for (std::string& f : split_forms(value)) out.push_back(std::string(kBody) + f);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string normalise_boolean(std::string_view value) {
  std::string utf8;
  // ASCII (most names and outlets; every article's are normalised several times) without ICU: there
  // NFKC_Casefold only lower-cases A-Z.
  if (std::all_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    utf8.assign(value);
    for (char& c : utf8) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  } else {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(value.data(), static_cast<int32_t>(value.size())));
    icu::UnicodeString folded = U_SUCCESS(status) ? nfkc_cf->normalize(u, status) : u.foldCase();
    if (U_FAILURE(status)) folded = u.foldCase();
    folded.toUTF8String(utf8);
  }
  // Collapse runs of whitespace (ASCII and the no-break spaces NFKC has already mapped) to one space.
  std::string out;
  out.reserve(utf8.size());
  bool space = false;
  for (char c : utf8) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string boolean_term(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  term += normalise_boolean(value);
  // Xapian refuses terms over 245 bytes; cut at a UTF-8 character boundary.
  constexpr size_t kMax = 240;
  if (term.size() > kMax) {
    term.resize(utf8::previous_boundary(term, kMax, prefix.size()));
  }
  return term;
}

void write_stamp(Xapian::WritableDatabase& db, std::string_view analyzer_config) {
  db.set_metadata(std::string(kMetaVersion), std::to_string(kVersion));
  db.set_metadata(std::string(kMetaAnalyzer), std::string(analyzer_config));
  db.set_metadata(std::string(kMetaFeatures), "article-documents,passage-positions,speaker-positions,spelling");
}

std::optional<Stamp> read_stamp(const Xapian::Database& db) {
  std::string version = db.get_metadata(std::string(kMetaVersion));
  if (version.empty()) return std::nullopt;
  Stamp stamp;
  try {
    stamp.version = std::stoi(version);
  } catch (const std::exception&) {
    stamp.version = -1;
  }
  stamp.analyzer = db.get_metadata(std::string(kMetaAnalyzer));
  return stamp;
}

uint64_t read_metadata_number(const Xapian::Database& db, std::string_view key) {
  const std::string v = db.get_metadata(std::string(key));
  if (v.empty() || v.size() > 19) return 0;
  uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

Lengths read_lengths(const Xapian::Database& db) {
  return {read_metadata_number(db, kMetaArticleLength), read_metadata_number(db, kMetaPassageCount)};
}

void write_lengths(Xapian::WritableDatabase& db, const Lengths& lengths) {
  db.set_metadata(std::string(kMetaArticleLength), std::to_string(lengths.articles));
  db.set_metadata(std::string(kMetaPassageCount), std::to_string(lengths.passages));
}

uint32_t next_passage_start(uint32_t previous_start, uint32_t previous_last_offset) {
  if (previous_start == 0) return kPassageStride;
  // Whole strides past the previous passage's last word plus the room the speaker words need.
  const uint64_t room = uint64_t{previous_last_offset} + kSpeakerWindow + kMaxSpeakerWords;
  const uint64_t strides = room / kPassageStride + 1;
  return static_cast<uint32_t>(previous_start + strides * kPassageStride);
}

std::string tie_key(std::string_view date, std::string_view id) {
  std::string key = date.empty() ? std::string("\xff") : std::string(date);
  key += '\0';
  key += id;
  return key;
}

std::string encode_copy_list(const std::vector<ListedCopy>& copies) {
  std::string out;
  auto field = [&out](const std::string& text) {
    leb128::append(out, text.size());
    out += text;
  };
  for (const ListedCopy& c : copies) {
    field(c.id);
    field(c.outlet);
    field(c.date);
  }
  return out;
}

std::optional<std::vector<ListedCopy>> decode_copy_list(std::string_view value) {
  std::vector<ListedCopy> out;
  size_t at = 0;
  auto field = [&](std::string& text) {
    const std::optional<uint64_t> read = leb128::read(value, at, 5);  // a length: five bytes at most
    if (!read) return false;
    const uint64_t n = *read;
    if (n > value.size() - at) return false;
    text.assign(value.substr(at, n));
    at += n;
    return true;
  };
  while (at < value.size()) {
    if (out.size() == kMaxListedCopies) return std::nullopt;
    ListedCopy c;
    if (!field(c.id) || !field(c.outlet) || !field(c.date)) return std::nullopt;
    out.push_back(std::move(c));
  }
  return out;
}

void check_readable(const Stamp& stamp, std::string_view path) {
  if (stamp.version >= kOldestReadable && stamp.version <= kVersion) return;
  std::string msg = std::string(path) + ": index schema version " + std::to_string(stamp.version) +
                    " is not readable by this build (it reads " + std::to_string(kOldestReadable) + ".." +
                    std::to_string(kVersion) + "); rebuild it with: dateline-index --db " +
                    std::string(path) + " --rebuild INPUT...";
  throw std::runtime_error(msg);
}

}  // namespace dateline::schema
