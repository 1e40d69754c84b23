/** @file
 *  @brief The error types both binaries turn into exit code 2: a bad flag, and a database that cannot be used.
 *
 *  One definition for the whole program: the indexer and the searcher libraries throw the same types, so a
 *  binary linking both still has one DatabaseError.
 */
#pragma once

#include <stdexcept>
#include <string>

namespace dateline {

/// Bad flags or flag combinations (exit 2). The message is one line.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A database that cannot be used (exit 2). what() is one line naming the path.
class DatabaseError : public std::runtime_error {
 public:
  enum class Kind {
    kMissing,  ///< nothing at the path (searching)
    kNotOurs,  ///< a file or Xapian database without a Dateline stamp
    kDamaged,  ///< Xapian says corrupt, cannot open it, or it is not a Xapian database
    kVersion,  ///< another schema version, or settings this run contradicts
    kLocked,   ///< another writer holds the lock
    kIo,       ///< cannot be created or written (permissions, disk full...)
  };
  DatabaseError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace dateline
