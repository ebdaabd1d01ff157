"""A/B tests: the statistics against values computed here independently (textbook formulas with the
standard library), no verdict before the planned sample, three variants, and every command end to
end through the fake Slack; the decision posted once; the CLI import."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from statistics import NormalDist

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.experiments import stats
from ecombot.experiments.models import Experiment, ExperimentResult
from tests.campaigns.support import from_bot, say, texts
from tests.support import cli_env

Z = NormalDist().inv_cdf(0.975)


@pytest.fixture(autouse=True)
def english_channel_posts(slack: SlackDriver) -> None:
    say(slack, "/ecom settings language en")


def test_the_z_test_interval_uplift_and_power_match_the_textbook() -> None:
    # 200/1000 vs 250/1000: pooled p = 0.225, z = 0.05 / sqrt(0.225 · 0.775 · 2/1000).
    z_expected = 0.05 / math.sqrt(0.225 * 0.775 * 2 / 1000)
    z, p = stats.z_test(200, 1000, 250, 1000) or (0.0, 1.0)
    assert z == pytest.approx(z_expected) and z == pytest.approx(2.6774, abs=1e-4)
    assert p == pytest.approx(math.erfc(z_expected / math.sqrt(2))) and p == pytest.approx(0.00742, abs=1e-4)
    # Wilson: (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n).
    n, ph = 1000, 0.2
    centre, half = ph + Z * Z / (2 * n), Z * math.sqrt(ph * (1 - ph) / n + Z * Z / (4 * n * n))
    interval = stats.wilson(200, 1000)
    assert interval is not None
    assert interval.low == pytest.approx((centre - half) / (1 + Z * Z / n))
    assert interval.high == pytest.approx((centre + half) / (1 + Z * Z / n))
    assert (round(interval.low, 4), round(interval.high, 4)) == (0.1764, 0.2259)
    # Uplift 25 %, log-method interval exp(ln(1.25) ± z·sqrt((1−pc)/xc + (1−pv)/xv)) − 1.
    lift, band = stats.uplift(200, 1000, 250, 1000) or (0.0, None)
    se = math.sqrt(0.8 / 200 + 0.75 / 250)
    assert lift == pytest.approx(0.25) and band is not None
    assert band.low == pytest.approx(1.25 * math.exp(-Z * se) - 1) and band.high == pytest.approx(
        1.25 * math.exp(Z * se) - 1
    )
    # 80 % power at α = 0.05 for 20 % vs 25 % (Fleiss, no continuity correction): 1,094 per variant.
    zb = NormalDist().inv_cdf(0.8)
    top = Z * math.sqrt(2 * 0.225 * 0.775) + zb * math.sqrt(0.2 * 0.8 + 0.25 * 0.75)
    assert stats.sample_needed(0.2, 0.25) == math.ceil(top * top / 0.05**2) == 1094
    assert stats.sample_needed(0.2, 0.2) is None


def test_the_chi_square_of_three_variants_matches_a_hand_computation() -> None:
    table = [(100, 1000), (120, 1000), (150, 1000)]
    total_conv, total = 370, 3000
    chi = 0.0
    for conv, vis in table:
        for observed, share in ((conv, total_conv / total), (vis - conv, 1 - total_conv / total)):
            expected = vis * share
            chi += (observed - expected) ** 2 / expected
    statistic, p = stats.chi_square(table) or (0.0, 1.0)
    assert statistic == pytest.approx(chi)
    assert p == pytest.approx(
        math.exp(-chi / 2)
    )  # the chi-square survival function with 2 degrees of freedom


def _log(slack: SlackDriver, name: str, variant: str, visitors: int, conversions: int, day: str) -> str:
    return texts(
        say(slack, f"/abtest log {name} {variant} visitors:{visitors} conversions:{conversions} date:{day}")
    )


def test_no_verdict_before_the_planned_sample_then_an_honest_one(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    created = texts(
        say(
            slack,
            '/abtest new 主图测试 hypothesis:"A lifestyle photo converts better" metric:conversion variants:A,B min_sample:1000',
        )
    )
    assert "started: A, B (control A)" in created and "1,000" in created
    logged = _log(slack, "主图测试", "A", 500, 100, "2026-11-20")
    assert "as that day's figures (added to the totals)" in logged
    _log(slack, "主图测试", "b", 500, 125, "2026-11-20")
    early = texts(say(slack, "/abtest show 主图测试"))
    assert "Not enough data yet: about 500 more visitors per variant (planned 1,000)" in early
    assert "better than" not in early  # no winner from peeking, however good B looks
    assert "Two-proportion z-test" in early and "about 1,094 visitors per variant" in early
    _log(slack, "主图测试", "A", 500, 100, "2026-11-21")
    again = _log(slack, "主图测试", "B", 500, 125, "2026-11-21")
    _log(slack, "主图测试", "B", 500, 125, "2026-11-21")
    assert (
        "replaced" in texts(say(slack, "/abtest log 主图测试 B visitors:500 conversions:125 date:2026-11-21"))
        and again
    )
    shown = texts(say(slack, "/abtest show 主图测试"))
    assert "*A*: 20.00% (95 % CI 17.64% – 22.59%), 200 / 1,000" in shown
    assert "*B converts 25% better than A (±" in shown and "p = 0.007*" in shown
    assert "z = 2.68, p = 0.007" in shown
    # Running totals replace the days before them.
    total = texts(say(slack, "/abtest log 主图测试 A visitors:1500 conversions:300 as:total date:2026-11-22"))
    assert "as running totals up to Nov 22, 2026 (they replace the days before)" in total
    assert "300 / 1,500" in texts(say(slack, "/abtest show 主图测试"))
    # The decision, posted to the channel once.
    assert "Decision: *B*" in texts(
        say(slack, '/abtest decide 主图测试 B reason:"Roll out the lifestyle photo"')
    )
    assert "decided already" in texts(say(slack, '/abtest decide 主图测试 A reason:"changed our mind"'))
    posted = [m for m in from_bot(fake, "C_DEMO") if "主图测试" in texts(m)]
    assert len(posted) == 1 and "Roll out the lifestyle photo" in texts(posted[0])
    assert "decided already" in texts(say(slack, "/abtest log 主图测试 A visitors:1 conversions:0"))
    listed = texts(say(slack, "/abtest list"))
    assert "*主图测试* (A, B): Decision: *B*" in listed


def test_three_variants_use_the_chi_square_and_a_corrected_comparison(slack: SlackDriver) -> None:
    say(
        slack,
        '/abtest new Coupon hypothesis:"A bigger coupon lifts orders" variants:none,5off,10off min_sample:1000',
    )
    for variant, conversions in (("none", 100), ("5off", 120), ("10off", 150)):
        _log(slack, "Coupon", variant, 1000, conversions, "2026-11-22")
    shown = texts(say(slack, "/abtest show coupon"))
    assert "Chi-square test: χ² =" in shown and "(df 2)" in shown
    assert "*10off converts 50% better than none" in shown
    say(slack, '/abtest new Banner hypothesis:"Red beats blue" variants:blue,red min_sample:1000')
    _log(slack, "Banner", "blue", 1000, 100, "2026-11-22")
    _log(slack, "Banner", "red", 1000, 104, "2026-11-22")
    assert "No significant difference (p = 0.768)" in texts(say(slack, "/abtest show Banner"))


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ('/abtest new X hypothesis:"h"', "Something is missing: variants:"),
        ("/abtest new X variants:A,B", "Something is missing: hypothesis:"),
        ('/abtest new X hypothesis:"h" variants:A', "`variants:A`: give 2 to 6 variants"),
        ('/abtest new X hypothesis:"h" variants:A,A', "Give 2 to 6 different variants"),
        ('/abtest new X hypothesis:"h" variants:A,B metric:Revenue!', "is not a metric"),
        (
            '/abtest new X hypothesis:"h" variants:A,B min_sample:5',
            "`min_sample:5` is not a whole number in range",
        ),
        ('/abtest new Hero hypothesis:"h" variants:A,B', "exists already"),
        ("/abtest log Hero C visitors:10 conversions:1", "`C` is not a variant of this test (A, B)"),
        ("/abtest log Hero A visitors:10 conversions:11", "Conversions must be between 0 and the visitors"),
        ("/abtest log Hero A visitors:-3 conversions:1", "is not a whole number in range"),
        ("/abtest log Hero A visitors:10", "Something is missing: conversions:"),
        ("/abtest log Hero A visitors:10 conversions:1 as:weekly", "should be `as:daily` or `as:total`"),
        ("/abtest log Hero A visitors:10 conversions:1 date:2027-01-01", "days that have happened"),
        ("/abtest show Nope", "There is no A/B test named “Nope”"),
        ("/abtest decide Hero B", 'Something is missing: reason:"…"'),
    ],
)
def test_bad_input_names_the_bad_part_and_writes_nothing(
    slack: SlackDriver, db: Engine, line: str, named: str
) -> None:
    say(slack, '/abtest new Hero hypothesis:"Video converts" variants:A,B')

    def counts() -> tuple[int, int]:
        with Session(db) as s:
            return tuple(  # type: ignore[return-value]
                int(s.execute(sa.select(sa.func.count()).select_from(m)).scalar_one())
                for m in (Experiment, ExperimentResult)
            )

    before = counts()
    assert named in texts(say(slack, line)), texts(say(slack, line))
    assert counts() == before


def test_only_the_owner_or_a_lead_decides(slack: SlackDriver) -> None:
    say(slack, '/abtest new Hero hypothesis:"Video converts" variants:A,B', user="U_SAM")
    assert "The test's owner (<@U_SAM>) and ops leads decide it" in texts(
        say(slack, '/abtest decide Hero B reason:"x"', user="U_MIA")
    )
    assert "Decision: keep the control" in texts(
        say(slack, '/abtest decide Hero none reason:"too close"', user="U_SAM")
    )


def test_figures_import_from_a_file_on_the_command_line(
    slack: SlackDriver, settings: Settings, fake: FakeSlack, tmp_path: Path, db: Engine
) -> None:
    say(slack, '/abtest new Checkout hypothesis:"One-page checkout" variants:A,B min_sample:100')
    good = tmp_path / "ab.csv"
    good.write_text(
        "test,date,variant,visitors,conversions,revenue\n"
        "Checkout,2026-11-20,A,100,10,1000\nCheckout,2026-11-20,B,100,14,1500\n",
        encoding="utf-8",
    )
    env = cli_env(settings.database.url, fake.api_url)
    run = [sys.executable, "-m", "ecombot", "import", "abtest"]
    result = subprocess.run(
        [*run, str(good), "--team", "T_DEMO"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "2 rows recorded (0 replaced a day logged before) for Checkout" in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,variant,visitors,conversions\n2026-11-21,A,100,10\n2026-11-21,Z,100,10\n", encoding="utf-8"
    )
    result = subprocess.run(
        [*run, str(bad), "--team", "T_DEMO", "--test", "Checkout"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (
        result.returncode == 2
        and "Line 3 cannot be used" in result.stderr
        and "`Z` is not a variant" in result.stderr
    )
    shown = texts(say(slack, "/abtest show checkout"))
    print(shown)
    assert "10 / 100" in shown and "14 / 100" in shown  # the bad file wrote nothing


def test_a_new_test_without_figures_says_what_it_waits_for(slack: SlackDriver) -> None:
    say(slack, '/abtest new Empty hypothesis:"Anything" variants:A,B')
    shown = texts(say(slack, "/abtest show Empty"))
    assert "Not enough data yet: about 1,000 more visitors per variant (planned 1,000)" in shown
    assert "No test yet: not enough figures." in shown
    assert "*Empty* (A, B): Not enough data yet" in texts(say(slack, "/abtest list"))
