package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RateScheduleTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  @DisplayName("arrivals fall due evenly at the rate, the first at once")
  void evenArrivals() {
    RateSchedule schedule = new RateSchedule(4, 100);
    assertThat(schedule.dueAt(0)).isZero();
    assertThat(schedule.dueAt(1)).isEqualTo(SECOND / 4);
    assertThat(schedule.dueAt(8)).isEqualTo(2 * SECOND);
    assertThat(schedule.dueBy(0)).isEqualTo(1);
    assertThat(schedule.dueBy(SECOND / 4 - 1)).isEqualTo(1);
    assertThat(schedule.dueBy(SECOND / 4)).isEqualTo(2);
    assertThat(schedule.dueBy(SECOND)).isEqualTo(5);
    assertThat(schedule.dueBy(-1)).isZero();
  }

  @Test
  @DisplayName("the count due agrees with each arrival's due time, even at awkward rates")
  void dueByAgreesWithDueAt() {
    RateSchedule schedule = new RateSchedule(333.3, 10_000);
    for (long i = 0; i < 2_000; i++) {
      assertThat(schedule.dueBy(schedule.dueAt(i))).isEqualTo(i + 1);
      assertThat(schedule.dueBy(schedule.dueAt(i) - 1)).isLessThanOrEqualTo(i);
    }
  }

  @Test
  @DisplayName("no more arrivals than the limit, however long it runs")
  void neverPastTheLimit() {
    RateSchedule schedule = new RateSchedule(1000, 7);
    assertThat(schedule.dueBy(3600 * SECOND)).isEqualTo(7);
  }

  @Test
  @DisplayName("the limit is rate times duration, capped by max requests when one is given")
  void limitFromDurationAndCap() {
    assertThat(RateSchedule.limitFor(50, 2 * SECOND, 0)).isEqualTo(100);
    assertThat(RateSchedule.limitFor(50, 2 * SECOND, 30)).isEqualTo(30);
    assertThat(RateSchedule.limitFor(2.5, SECOND, 0)).isEqualTo(3);
  }

  @Test
  @DisplayName("a rate of zero, below, not a number or infinite is refused")
  void badRates() {
    for (double rate : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new RateSchedule(rate, 10))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new RateSchedule(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
