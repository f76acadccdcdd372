"""The 27 first-level regions of Ukraine (ISO 3166-2:UA) and name resolution."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Region:
    code: str
    name_en: str
    name_uk: str
    kind: str  # "oblast" | "autonomous republic" | "city with special status"
    aliases: tuple[str, ...] = field(default=())


OBLAST = "oblast"
AUTONOMOUS_REPUBLIC = "autonomous republic"
SPECIAL_CITY = "city with special status"

REGIONS: tuple[Region, ...] = (
    Region("UA-05", "Vinnytsia Oblast", "Вінницька область", OBLAST),
    Region("UA-07", "Volyn Oblast", "Волинська область", OBLAST),
    Region("UA-09", "Luhansk Oblast", "Луганська область", OBLAST),
    Region("UA-12", "Dnipropetrovsk Oblast", "Дніпропетровська область", OBLAST),
    Region("UA-14", "Donetsk Oblast", "Донецька область", OBLAST),
    Region("UA-18", "Zhytomyr Oblast", "Житомирська область", OBLAST),
    Region("UA-21", "Zakarpattia Oblast", "Закарпатська область", OBLAST),
    Region("UA-23", "Zaporizhzhia Oblast", "Запорізька область", OBLAST),
    Region("UA-26", "Ivano-Frankivsk Oblast", "Івано-Франківська область", OBLAST),
    Region("UA-30", "Kyiv", "Київ", SPECIAL_CITY),
    Region("UA-32", "Kyiv Oblast", "Київська область", OBLAST),
    Region("UA-35", "Kirovohrad Oblast", "Кіровоградська область", OBLAST),
    Region("UA-40", "Sevastopol", "Севастополь", SPECIAL_CITY),
    Region(
        "UA-43",
        "Autonomous Republic of Crimea",
        "Автономна Республіка Крим",
        AUTONOMOUS_REPUBLIC,
    ),
    Region("UA-46", "Lviv Oblast", "Львівська область", OBLAST),
    Region("UA-48", "Mykolaiv Oblast", "Миколаївська область", OBLAST),
    Region("UA-51", "Odesa Oblast", "Одеська область", OBLAST),
    Region("UA-53", "Poltava Oblast", "Полтавська область", OBLAST),
    Region("UA-56", "Rivne Oblast", "Рівненська область", OBLAST),
    Region("UA-59", "Sumy Oblast", "Сумська область", OBLAST),
    Region("UA-61", "Ternopil Oblast", "Тернопільська область", OBLAST),
    Region("UA-63", "Kharkiv Oblast", "Харківська область", OBLAST),
    Region("UA-65", "Kherson Oblast", "Херсонська область", OBLAST),
    Region("UA-68", "Khmelnytskyi Oblast", "Хмельницька область", OBLAST),
    Region("UA-71", "Cherkasy Oblast", "Черкаська область", OBLAST),
    Region("UA-74", "Chernivtsi Oblast", "Чернівецька область", OBLAST),
    Region("UA-77", "Chernihiv Oblast", "Чернігівська область", OBLAST),
)

REGION_CODES: tuple[str, ...] = tuple(r.code for r in REGIONS)
REGIONS_BY_CODE: dict[str, Region] = {r.code: r for r in REGIONS}
