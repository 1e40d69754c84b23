/** @file
 *  @brief UTF-8 repair with exact byte offsets, separator/apostrophe mapping, and word folding.
 */
#include "analyzers/normalize.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#include <cstring>
#include <optional>
#include <stdexcept>

namespace dateline::text {

namespace {

constexpr char16_t kReplacement = 0xFFFD;

// Lookup for ASCII bytes: control characters (U+0000..U+001F, U+007F) read as a space, so NUL
// bytes and stray escapes separate words instead of gluing them or being dropped silently.
constexpr bool is_ascii_control(unsigned char b) {
  return b < 0x20 || b == 0x7F;
}

}  // namespace

UChar32 map_code_point(UChar32 c) {
  if (c < 0x80) return is_ascii_control(static_cast<unsigned char>(c)) ? 0x20 : c;
  switch (c) {
    // Apostrophe look-alikes. U+2019 is what most news sites print for "don't" and "Belarus's";
    // U+02BC is ALetter for ICU (so "Belarusʼ" would keep a trailing mark) and U+FF07 only
    // becomes ' under NFKC. Reading them all as U+0027 makes text and typed queries agree, and
    // keeps a trailing apostrophe out of the word (ICU never ends a word on MidNumLet).
    case 0x2018:
    case 0x2019:
    case 0x02BC:
    case 0xFF07:
      return 0x27;
    default:
      break;
  }
  // C1 controls (U+0080..U+009F, including U+0085 NEXT LINE).
  if (c <= 0x9F) return 0x20;
  // Every space separator (Zs: U+00A0, U+1680, U+2000..U+200A, U+202F, U+205F, U+3000) and the
  // line/paragraph separators. U+202F matters most: UAX #29 classes it ExtendNumLet, so left alone
  // "special\u202Fmilitary" would be ONE word.
  if (c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
      c == 0x205F || c == 0x3000) {
    return 0x20;
  }
  return c;
}

void decode_utf8(std::string_view in, icu::UnicodeString& out, std::vector<uint32_t>& offsets) {
  if (in.size() >= 0x7FFFFFFF) throw std::length_error("text too large to analyse in one piece");
  const auto n = static_cast<uint32_t>(in.size());
  // A UTF-8 sequence of k bytes never yields more than k UTF-16 units (4 bytes -> 2 units, an
  // ill-formed byte -> 1 unit), so n units always suffice.
  const auto capacity = static_cast<int32_t>(n + 1);
  char16_t* dst = out.getBuffer(capacity);
  if (dst == nullptr) throw std::length_error("text too large to analyse");
  if (offsets.size() < n + 1) offsets.resize(n + 1);
  uint32_t* off = offsets.data();
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());

  int32_t k = 0;
  uint32_t i = 0;
  while (i < n) {
    // Eight bytes of printable ASCII (most of a news text) at a time: each is its own unit.
    while (n - i >= 8) {
      uint64_t w;
      std::memcpy(&w, s + i, sizeof w);
      constexpr uint64_t kEveryByte = 0x0101010101010101ULL;
      constexpr uint64_t kHighBits = 0x8080808080808080ULL;
      const uint64_t del = w ^ (kEveryByte * 0x7F);
      const bool plain = (w & kHighBits) == 0 &&                           // no byte >= 0x80
                         ((w - kEveryByte * 0x20) & ~w & kHighBits) == 0 &&  // none below 0x20
                         ((del - kEveryByte) & ~del & kHighBits) == 0;       // none is 0x7F
      if (!plain) break;
      for (uint32_t j = 0; j < 8; ++j) {
        dst[k + static_cast<int32_t>(j)] = static_cast<char16_t>(s[i + j]);
        off[k + static_cast<int32_t>(j)] = i + j;
      }
      k += 8;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char b = s[i];
    if (b < 0x80) {
      dst[k] = is_ascii_control(b) ? char16_t{0x20} : static_cast<char16_t>(b);
      off[k++] = i++;
      continue;
    }
    // Multi-byte lead: number of continuation bytes and the allowed range of the FIRST one
    // (the narrower ranges reject overlongs, surrogates and values above U+10FFFF).
    uint32_t need = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    UChar32 c = 0;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
      c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      c = b & 0x0F;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // UTF-16 surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      c = b & 0x07;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      // 0x80..0xC1 (stray continuation, overlong 2-byte lead) and 0xF5..0xFF: never valid.
      dst[k] = kReplacement;
      off[k++] = i++;
      continue;
    }
    uint32_t j = 1;
    for (; j <= need; ++j) {
      if (i + j >= n) break;
      const unsigned char cb = s[i + j];
      const unsigned char min = j == 1 ? lo : 0x80;
      const unsigned char max = j == 1 ? hi : 0xBF;
      if (cb < min || cb > max) break;
      c = (c << 6) | (cb & 0x3F);
    }
    if (j <= need) {
      // Truncated or broken sequence: the valid prefix [i, i+j) is one maximal ill-formed
      // subpart and becomes one U+FFFD; the byte that broke it is read afresh.
      dst[k] = kReplacement;
      off[k++] = i;
      i += j;
      continue;
    }
    c = map_code_point(c);
    if (c <= 0xFFFF) {
      dst[k] = static_cast<char16_t>(c);
      off[k++] = i;
    } else {
      dst[k] = U16_LEAD(c);
      off[k++] = i;
      dst[k] = U16_TRAIL(c);
      off[k++] = i;
    }
    i += need + 1;
  }
  off[k] = n;
  out.releaseBuffer(k);
}

Folder::Folder(bool fold_accents) : fold_accents_(fold_accents) {
  UErrorCode status = U_ZERO_ERROR;
  nfkc_cf_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
  nfd_ = icu::Normalizer2::getNFDInstance(status);
  nfc_ = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU normalisation data unavailable: ") + u_errorName(status));
  }
}

namespace {

// Scripts whose nonspacing marks are accents or vowel points that readers and typists routinely
// omit (é/e, ά/α, й/и under NFD, Arabic harakat, Hebrew niqqud). Marks in Indic, Thai and other
// abugidas carry the vowels themselves, so stripping them would merge unrelated words.
bool strips_marks_after(UScriptCode script) {
  switch (script) {
    case USCRIPT_LATIN:
    case USCRIPT_GREEK:
    case USCRIPT_CYRILLIC:
    case USCRIPT_ARABIC:
    case USCRIPT_HEBREW:
    case USCRIPT_COMMON:
      return true;
    default:
      return false;
  }
}

// Latin letters with a stroke or ligatures have no canonical decomposition, so NFD cannot strip
// them; readers still type "Lukashenka" for "Łukašenka" and "Oresund" for "Øresund" (Lucene's
// ASCIIFoldingFilter makes the same choice). Input is already case-folded (lower case).
const char16_t* fold_special_letter(UChar32 c) {
  switch (c) {
    case 0x00E6:
      return u"ae";  // æ
    case 0x00F8:
      return u"o";  // ø
    case 0x0111:
      return u"d";  // đ
    case 0x0127:
      return u"h";  // ħ
    case 0x0131:
      return u"i";  // ı dotless i
    case 0x0142:
      return u"l";  // ł
    case 0x0153:
      return u"oe";  // œ
    case 0x0167:
      return u"t";  // ŧ
    default:
      return nullptr;
  }
}

bool is_mark(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

}  // namespace

void Folder::strip_accents() {
  UErrorCode status = U_ZERO_ERROR;
  nfd_->normalize(buf_a_, buf_b_, status);
  if (U_FAILURE(status)) return;  // keep the unstripped (still valid) NFKC_CF form
  buf_a_.remove();
  UScriptCode base_script = USCRIPT_COMMON;
  const int32_t len = buf_b_.length();
  for (int32_t i = 0; i < len;) {
    const UChar32 c = buf_b_.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) {
      // Cyrillic breve (U+0306) makes letters of their own: й is not и, ў is not у. Other Cyrillic
      // marks (ё -> е, ї -> і) are the ones writers really omit.
      const bool keep = base_script == USCRIPT_CYRILLIC && c == 0x0306;
      if (!keep && strips_marks_after(base_script)) continue;
    } else {
      UErrorCode script_status = U_ZERO_ERROR;
      base_script = uscript_getScript(c, &script_status);
      if (const char16_t* repl = fold_special_letter(c)) {
        buf_a_.append(repl, -1);
        continue;
      }
    }
    buf_a_.append(c);
  }
  status = U_ZERO_ERROR;
  nfc_->normalize(buf_a_, buf_b_, status);
  if (U_SUCCESS(status)) buf_a_.fastCopyFrom(buf_b_);
}

namespace {

// Lower-cases a pure-ASCII word into `out`; nullopt (with `out` partly written) at the first
// non-ASCII unit. The value says whether the word is stemmable (letters and apostrophes only).
std::optional<bool> fold_ascii(const char16_t* word, int32_t length, std::string& out) {
  out.resize(static_cast<size_t>(length));
  bool letter = false;
  bool only_letters = true;
  for (int32_t i = 0; i < length; ++i) {
    const char16_t u = word[i];
    if (u >= 0x80) return std::nullopt;
    char ch = static_cast<char>(u);
    if (ch >= 'A' && ch <= 'Z') {
      ch = static_cast<char>(ch - 'A' + 'a');
      letter = true;
    } else if (ch >= 'a' && ch <= 'z') {
      letter = true;
    } else if (ch != '\'') {
      only_letters = false;
    }
    out[static_cast<size_t>(i)] = ch;
  }
  return letter && only_letters;
}

}  // namespace

void Folder::fold_digits() {
  // NFKC maps fullwidth digits but not other scripts' decimal digits; "٢٠٢٢" (Arabic-Indic) or
  // "२०२२" (Devanagari) should find and be found by "2022", as Lucene's DecimalDigitFilter does.
  const int32_t len = buf_a_.length();
  for (int32_t i = 0; i < len;) {
    const UChar32 c = buf_a_.char32At(i);
    const int32_t n = U16_LENGTH(c);
    if (c >= 0x80 && u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
      const int32_t value = u_charDigitValue(c);
      if (value >= 0 && value <= 9) {
        buf_a_.replace(i, n, static_cast<UChar32>(U'0' + static_cast<char32_t>(value)));
        i += 1;
        continue;
      }
    }
    i += n;
  }
}

bool Folder::fold(const char16_t* word, int32_t length, std::string& out) {
  // Fast path: a pure-ASCII word. NFKC is the identity on ASCII and full case folding is plain
  // lower-casing there, so ICU is not needed for the great majority of English news words.
  if (std::optional<bool> stemmable = fold_ascii(word, length, out)) return *stemmable;
  out.clear();

  source_.setTo(false, word, length);  // read-only alias, no copy
  UErrorCode status = U_ZERO_ERROR;
  nfkc_cf_->normalize(source_, buf_a_, status);
  if (U_FAILURE(status)) {
    // Cannot happen for valid UTF-16 short of memory exhaustion; fold case only rather than lose
    // the word.
    buf_a_.setTo(source_);
    buf_a_.foldCase();
  }
  fold_digits();
  if (fold_accents_) {
    // Only text with a code point >= U+00C0 can hold an accent, a mark or a special letter.
    const char16_t* p = buf_a_.getBuffer();
    const int32_t len = buf_a_.length();
    for (int32_t i = 0; i < len; ++i) {
      if (p[i] >= 0xC0) {
        strip_accents();
        break;
      }
    }
  }
  buf_a_.toUTF8String(out);

  bool letter = false;
  bool stemmable = true;
  const int32_t len = buf_a_.length();
  for (int32_t i = 0; i < len && stemmable;) {
    const UChar32 c = buf_a_.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalpha(c)) {
      UErrorCode script_status = U_ZERO_ERROR;
      const UScriptCode script = uscript_getScript(c, &script_status);
      if (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA) {
        stemmable = false;
      }
      letter = true;
    } else if (c != 0x27 && !is_mark(c)) {
      stemmable = false;
    }
  }
  return letter && stemmable;
}

}  // namespace dateline::text
