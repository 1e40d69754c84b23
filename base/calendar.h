/** @file
 *  @brief The proleptic Gregorian calendar: leap years and month lengths.
 */
#pragma once

namespace dateline::calendar {

/// Is `year` a leap year (divisible by 4, and not by 100 unless by 400)?
constexpr bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/// Days in `month` (1..12) of `year`; 0 for a month outside 1..12.
constexpr int days_in_month(int year, int month) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
}

}  // namespace dateline::calendar
