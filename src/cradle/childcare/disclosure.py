"""信息公示: what the public sees — filed, open facilities by county with slots, vacancies, fees and their
inspection and quality results — and a plain SVG map drawn from the facilities' own coordinates."""

from __future__ import annotations

import datetime as dt
from html import escape

from sqlalchemy.orm import Session

from cradle import regions
from cradle.childcare import places
from cradle.childcare.facilities import facility_dict, list_facilities
from cradle.childcare.inspections import quality_summary
from cradle.childcare.vocab import FACILITY_TYPES
from cradle.web.i18n import translations

PUBLIC_KEYS = (
    "id",
    "name",
    "type",
    "type_label",
    "address",
    "region_code",
    "region_name",
    "community",
    "inclusive",
    "demonstration",
    "opening_date",
    "slots",
    "enrolled",
    "vacancies",
    "slot_groups",
    "lat",
    "lon",
)


def public_facility(session: Session, facility, on: dt.date) -> dict:
    full = facility_dict(session, facility, on)
    out = {k: full[k] for k in PUBLIC_KEYS}
    out["credit_code"] = facility.credit_code  # 统一社会信用代码 is public information
    out["quality"] = quality_summary(session, facility.id, on)
    return out


def public_listing(session: Session, on: dt.date, region: str | None = None) -> dict:
    """{"as_of", "region", "counties": [{"region", "name", "facilities": [...], "slots", "vacancies"}]}."""
    facilities = list_facilities(session, region=region, filed_only=True, on=on)
    counties: dict[str, dict] = {}
    for f in facilities:
        entry = counties.setdefault(
            f.region_code,
            {
                "region": f.region_code,
                "name": places.full_name(f.region_code),
                "facilities": [],
                "slots": 0,
                "vacancies": 0,
                "inclusive_slots": 0,
            },
        )
        item = public_facility(session, f, on)
        entry["facilities"].append(item)
        entry["slots"] += item["slots"]
        entry["vacancies"] += item["vacancies"]
        entry["inclusive_slots"] += item["slots"] if item["inclusive"] else 0
    return {"as_of": on.isoformat(), "region": region, "counties": list(counties.values())}


COLOURS = {
    "public": "#1b6ca8",
    "inclusive_private": "#2a9d8f",
    "private": "#8d6e63",
    "employer": "#6a4c93",
    "community_station": "#e76f51",
    "family_point": "#f4a261",
    "kindergarten_class": "#588157",
}


def map_svg(listing: dict, width: int = 720, height: int = 480, locale: str = "zh") -> str:
    """Facilities placed by longitude/latitude (equirectangular, fitted to the box); each county labelled at
    the mean position of its facilities. Facilities without coordinates are counted in the legend only.
    Labels in `locale` (the web catalogues); county names in English for "en"."""
    t = translations(locale)

    codes = {c["name"]: c["region"] for c in listing["counties"]}

    def place(name: str) -> str:  # the county's own English name; the Chinese one with its province and city
        return (
            regions.local_name(codes[name], locale)
            if locale == "en" and regions.exists(codes[name])
            else name
        )

    points = [(f, c) for c in listing["counties"] for f in c["facilities"] if f["lat"] is not None]
    pad, legend_w = 40, 200 if locale == "zh" else 290  # English labels are longer
    plot_w = width - legend_w - 2 * pad
    plot_h = height - 2 * pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(t.gettext("Map of childcare institutions"))}" font-family="sans-serif" font-size="12">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fbfbf8" stroke="#ccc"/>',
    ]
    if points:
        lons = [f["lon"] for f, _ in points]
        lats = [f["lat"] for f, _ in points]
        x0, x1 = min(lons), max(lons)
        y0, y1 = min(lats), max(lats)
        span = max(x1 - x0, y1 - y0, 0.01)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        scale = min(plot_w, plot_h) / span

        def xy(lon: float, lat: float) -> tuple[float, float]:
            return (pad + plot_w / 2 + (lon - cx) * scale, pad + plot_h / 2 - (lat - cy) * scale)

        by_county: dict[str, list[tuple[float, float]]] = {}
        for f, c in points:
            x, y = xy(f["lon"], f["lat"])
            by_county.setdefault(c["name"], []).append((x, y))
            r = 4 + min(f["slots"], 200) / 25
            title = escape(
                t.gettext("%(name)s: %(slots)s places, %(vacancies)s vacancies")
                % {"name": f["name"], "slots": f["slots"], "vacancies": f["vacancies"]}
            )
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{COLOURS.get(f["type"], "#555")}" '
                f'fill-opacity="0.8" stroke="#fff"><title>{title}</title></circle>'
            )
        for county_name, xys in by_county.items():
            mx = sum(p[0] for p in xys) / len(xys)
            my = sum(p[1] for p in xys) / len(xys)
            parts.append(
                f'<text x="{mx:.1f}" y="{my - 12:.1f}" text-anchor="middle" fill="#333">'
                f"{escape(place(county_name))}</text>"
            )
    else:
        parts.append(
            f'<text x="{pad}" y="{pad + 20}" fill="#666">{escape(t.gettext("No institutions with coordinates yet"))}</text>'
        )
    lx = width - legend_w + 10
    parts.append(f'<text x="{lx}" y="{pad}" font-weight="bold">{escape(t.gettext("Legend"))}</text>')
    y = pad + 20
    for key, label in FACILITY_TYPES.items():
        parts.append(
            f'<circle cx="{lx + 6}" cy="{y - 4}" r="5" fill="{COLOURS[key]}"/>'
            f'<text x="{lx + 16}" y="{y}">{escape(t.gettext(label)[: 10 if locale == "zh" else 40])}</text>'
        )
        y += 18
    y += 10
    for c in listing["counties"]:
        name = place(c["name"]) if locale == "en" else c["name"][-6:]
        count = len(c["facilities"])
        line = t.ngettext(
            "%(name)s: %(num)s institution, %(slots)s places",
            "%(name)s: %(num)s institutions, %(slots)s places",
            count,
        ) % {"name": name, "num": count, "slots": c["slots"]}
        parts.append(f'<text x="{lx}" y="{y}">{escape(line)}</text>')
        y += 16
    parts.append("</svg>")
    return "".join(parts)
