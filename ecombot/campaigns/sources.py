"""The platforms ecombot knows, and what each one's revenue figure means: figures from different
platforms are never treated as the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from ecombot.slack.i18n import add_messages


@dataclass(frozen=True)
class Source:
    """A platform; `attributed` means its revenue is the platform's own attribution of conversions,
    so the same order may also be counted by another platform."""

    key: str
    names: tuple[str, ...]  # what people type, lower case
    attributed: bool


SOURCES: tuple[Source, ...] = (
    Source("tmall", ("tmall", "天猫", "淘宝", "taobao", "tb"), attributed=False),
    Source("jd", ("jd", "京东", "jingdong"), attributed=False),
    Source("douyin", ("douyin", "抖音", "千川", "巨量千川", "qianchuan", "tiktok"), attributed=True),
    Source("pdd", ("pdd", "pinduoduo", "拼多多", "多多"), attributed=True),
    Source("shopify", ("shopify",), attributed=False),
    Source("google", ("google", "googleads", "google_ads", "adwords", "谷歌"), attributed=True),
    Source("meta", ("meta", "facebook", "fb", "instagram", "ig", "脸书"), attributed=True),
    Source("other", ("other", "manual", "其他", "其它"), attributed=False),
)
BY_KEY = {source.key: source for source in SOURCES}
_BY_NAME = {name: source.key for source in SOURCES for name in (source.key, *source.names)}
DEFAULT = "other"


def find(text: str) -> str | None:
    """The source key a typed name means (`天猫` → tmall), or None."""
    folded = text.strip().lower().replace(" ", "").replace("-", "")
    return _BY_NAME.get(folded)


def label_key(source: str) -> str:
    """The i18n key of a source's display name."""
    return f"campaigns.source.{source}"


def definition_key(source: str) -> str:
    """The i18n key of what a source's revenue figure means."""
    return f"campaigns.source_def.{source}"


add_messages(
    {
        "campaigns.source.tmall": ("Tmall", "天猫"),
        "campaigns.source.jd": ("JD", "京东"),
        "campaigns.source.douyin": ("Douyin Qianchuan", "抖音·巨量千川"),
        "campaigns.source.pdd": ("Pinduoduo", "拼多多"),
        "campaigns.source.shopify": ("Shopify", "Shopify 独立站"),
        "campaigns.source.google": ("Google Ads", "Google Ads 谷歌广告"),
        "campaigns.source.meta": ("Meta Ads", "Meta 广告"),
        "campaigns.source.other": ("Other / manual", "其他 / 手工"),
        "campaigns.source_def.tmall": (
            "支付金额 (paid amount): shop-reported, includes shipping, before refunds",
            "支付金额：店铺口径，含运费，未扣退款",
        ),
        "campaigns.source_def.jd": (
            "成交金额 (deal amount): shop-reported, net of same-day cancellations",
            "成交金额：店铺口径，已扣当日取消",
        ),
        "campaigns.source_def.douyin": (
            "整体成交金额 (overall GMV): platform-attributed, before refunds; 净成交 (net) is recorded as revenue minus refunds",
            "整体成交金额：平台归因，未扣退款；净成交记为成交金额减退款",
        ),
        "campaigns.source_def.pdd": (
            "交易额 (GMV): platform-attributed to the promotion, before refunds",
            "交易额：平台归因于推广，未扣退款",
        ),
        "campaigns.source_def.shopify": (
            "Total sales: shop-reported, after discounts and returns, with shipping and taxes",
            "Total sales：店铺口径，已扣折扣和退货，含运费和税",
        ),
        "campaigns.source_def.google": (
            "Conv. value: platform-attributed (Google's attribution model and window)",
            "Conv. value（转化价值）：平台归因（Google 的归因模型与窗口）",
        ),
        "campaigns.source_def.meta": (
            "Purchases conversion value: platform-attributed (default 7-day click, 1-day view)",
            "Purchases conversion value（购物转化价值）：平台归因（默认点击后 7 天、浏览后 1 天）",
        ),
        "campaigns.source_def.other": ("as entered by the team", "团队手工录入的口径"),
    }
)
