"""Spellings of the regions' administrative centres, and Ukrainian and Russian case forms.

A reader meets a region's centre under many names: the 2010 national transliteration
("Vinnytsia"), the older official one of 1996 ("Vinnytsya"), Russian-based ones ("Vinnitsa",
BGN/PCGN "Kiyev"), German and French press forms ("Winnyzja", "Tschernihiw", "Zaporijia",
"Czernowitz"), and in Ukrainian and Russian Cyrillic. ``CENTRES`` lists them in the
nominative, by the ISO 3166-2:UA code of the region the centre lies in.

A news sentence declines names: "на Вінниччині", "у Києві", "удар по Харкову", "в
Винницкой области". ``case_forms`` gives the forms a name takes, from a small table of
declension patterns (``_ENDINGS``) and, for each centre and informal region name, its
oblique stem and pattern (``_DECLENSIONS``). Two patterns are regular enough to apply by
ending: the feminine "-ина" nouns ("Вінниччина", "Киевщина") and the oblast adjectives
("Вінницька", "Винницкая"), which agree with "область" (``oblast_phrases``).

A morphological analyser (pymorphy3 with its Ukrainian and Russian dictionaries) was the
alternative: it would add 30 MB of dictionaries and, run backwards from a declined word to
a dictionary form, reads "Суми" as "сума" (a sum) among others. The names here are a
closed set of about a hundred words, so the patterns are written out; the forms they give
were checked once against those dictionaries, and the forms a reader meets are tested
(tests/data/spellings/region_spellings.csv).

Nothing here is normalised or looked up: ``oblastwatch.domain.regions`` builds its tables from these.
"""

from __future__ import annotations

# The centre of each region, nominative. Kyiv is the centre of Kyiv Oblast too, but the city
# is its own region (UA-30), which is where a mention of the city belongs.
CENTRES: dict[str, tuple[str, ...]] = {
    "UA-05": (
        "Vinnytsia",  # 2010 national system
        "Vinnytsya",  # 1996 national system, GeoNames
        "Vinnytsa",
        "Vinnitsa",  # from Russian
        "Vinnitsia",
        "Winnyzja",  # German
        "Winniza",  # German, from Russian
        "Вінниця",
        "Винница",
    ),
    "UA-07": ("Lutsk", "Luts'k", "Luzk", "Loutsk", "Луцьк", "Луцк"),
    "UA-09": (
        "Luhansk",
        "Luhans'k",
        "Lugansk",
        "Louhansk",  # French
        "Lougansk",  # French, from Russian
        "Луганськ",
        "Луганск",
    ),
    "UA-12": (
        "Dnipro",
        "Dnepr",  # from Russian (Днепр, the city's Russian name since 2016)
        "Dnipropetrovsk",  # the city's name until 2016
        "Dnipropetrovs'k",
        "Dnepropetrovsk",
        "Dnipropetrowsk",  # German
        "Dnjepropetrowsk",  # German, from Russian
        "Dniepropetrovsk",  # French
        "Дніпро",
        "Дніпропетровськ",
        "Днепр",
        "Днепропетровск",
    ),
    "UA-14": ("Donetsk", "Donets'k", "Donezk", "Донецьк", "Донецк"),
    "UA-18": (
        "Zhytomyr",
        "Zhitomir",
        "Schytomyr",  # German
        "Schitomir",  # German, from Russian
        "Jytomyr",  # French
        "Jitomir",  # French, from Russian
        "Житомир",  # Ukrainian and Russian
    ),
    "UA-21": (
        "Uzhhorod",
        "Uzhgorod",
        "Uschhorod",  # German
        "Oujhorod",  # French
        "Oujgorod",  # French, from Russian
        "Ужгород",  # Ukrainian and Russian
    ),
    "UA-23": (
        "Zaporizhzhia",
        "Zaporizhzhya",  # 1996 national system
        "Zaporizhia",
        "Zaporizhya",
        "Zaporozhzhia",
        "Zaporozhye",  # from Russian
        "Zaporozhie",
        "Zaporozhe",
        "Saporischschja",  # German
        "Saporischja",
        "Saporoschje",  # German, from Russian
        "Zaporijia",  # French press
        "Zaporijjia",  # French
        "Zaporojie",  # French, from Russian
        "Запоріжжя",
        "Запорожье",
    ),
    "UA-26": (
        "Ivano-Frankivsk",
        "Ivano-Frankivs'k",
        "Ivano-Frankovsk",
        "Iwano-Frankiwsk",  # German
        "Iwano-Frankowsk",  # German, from Russian
        "Івано-Франківськ",
        "Ивано-Франковск",
    ),
    "UA-30": (
        "Kyiv",
        "Kiev",
        "Kyyiv",  # 1996 national system
        "Kyjiv",
        "Kiyev",  # BGN/PCGN, from Russian
        "Kiew",  # German
        "Kyjiw",  # German
        "Kyïv",  # French
        "Київ",
        "Киев",
    ),
    "UA-35": (
        "Kropyvnytskyi",
        "Kropyvnytskyy",  # 1996 national system
        "Kropyvnytsky",
        "Kropivnitskiy",  # from Russian
        "Kropivnitsky",
        "Kirovohrad",  # the city's name until 2016
        "Kirovograd",
        "Kropywnyzkyj",  # German
        "Kirowohrad",  # German
        "Kirowograd",  # German, from Russian
        "Kropyvnytskyï",  # French
        "Кропивницький",
        "Кіровоград",
        "Кропивницкий",
        "Кировоград",
    ),
    "UA-40": ("Sevastopol", "Sevastopol'", "Sebastopol", "Sewastopol", "Севастополь"),
    "UA-43": ("Simferopol", "Simferopol'", "Simféropol", "Сімферополь", "Симферополь"),
    "UA-46": (
        "Lviv",
        "L'viv",
        "Lvov",
        "Lwiw",  # German
        "Lemberg",  # German
        "Львів",
        "Львов",
    ),
    "UA-48": (
        "Mykolaiv",
        "Mykolayiv",  # 1996 national system
        "Nikolaev",  # from Russian
        "Nikolayev",
        "Mykolajiw",  # German
        "Nikolajew",  # German, from Russian
        "Mykolaïv",  # French
        "Nikolaïev",  # French, from Russian
        "Миколаїв",
        "Николаев",
    ),
    "UA-51": ("Odesa", "Odessa", "Одеса", "Одесса"),
    "UA-53": ("Poltava", "Poltawa", "Полтава"),
    "UA-56": (
        "Rivne",
        "Rivno",
        "Rovno",  # from Russian
        "Riwne",  # German
        "Rowno",  # German, from Russian
        "Рівне",
        "Ровно",
    ),
    "UA-59": ("Sumy", "Soumy", "Суми", "Сумы"),
    "UA-61": (
        "Ternopil",
        "Ternopil'",
        "Ternopol",  # from Russian
        "Tarnopol",  # German and Polish, in older texts
        "Тернопіль",
        "Тернополь",
    ),
    "UA-63": (
        "Kharkiv",
        "Kharkov",  # from Russian
        "Charkiw",  # German
        "Charkow",  # German, from Russian
        "Харків",
        "Харьков",
    ),
    "UA-65": ("Kherson", "Cherson", "Херсон"),
    "UA-68": (
        "Khmelnytskyi",
        "Khmelnytskyy",  # 1996 national system
        "Khmel'nyts'kyy",
        "Khmelnytsky",
        "Khmelnytskiy",
        "Khmelnitsky",  # from Russian
        "Khmelnitskiy",
        "Khmelnitskyi",
        "Chmelnyzkyj",  # German
        "Chmelnizki",  # German, from Russian
        "Khmelnytskyï",  # French
        "Khmelnitski",  # French, from Russian
        "Хмельницький",
        "Хмельницкий",
    ),
    "UA-71": (
        "Cherkasy",
        "Cherkassy",  # from Russian
        "Cherkasi",
        "Tscherkassy",  # German
        "Tcherkassy",  # French
        "Черкаси",
        "Черкассы",
    ),
    "UA-74": (
        "Chernihiv",
        "Chernigov",  # from Russian
        "Tschernihiw",  # German
        "Tschernigow",  # German, from Russian
        "Tchernihiv",  # French
        "Tchernigov",  # French, from Russian
        "Чернігів",
        "Чернигов",
    ),
    "UA-77": (
        "Chernivtsi",
        "Chernovtsy",  # from Russian
        "Chernovtsi",
        "Czernowitz",  # German
        "Tscherniwzi",  # German
        "Tchernivtsi",  # French
        "Tchernovtsy",  # French, from Russian
        "Чернівці",
        "Черновцы",
    ),
}

# Endings of the oblique cases (genitive, dative, locative/prepositional, accusative where it
# differs, instrumental), added to a word's oblique stem. The nominative is the word itself.
_ENDINGS: dict[str, tuple[str, ...]] = {
    # Ukrainian
    "uk masculine hard": ("а", "у", "і", "ом"),  # Харків: Харкова, по Харкову, у Харкові
    "uk masculine velar": ("а", "у", "ом"),  # Луцьк: Луцька, у Луцьку, Луцьком
    "uk masculine soft": ("я", "ю", "і", "ем"),  # Тернопіль: Тернополя, у Тернополі
    "uk masculine -у": ("у", "ом"),  # Крим: Криму, у Криму, Кримом
    "uk feminine hard": ("и", "і", "у", "ою"),  # Одеса: Одеси, в Одесі, Одесу, Одесою
    "uk feminine soft": ("і", "ю", "ею"),  # Вінниця: Вінниці, у Вінниці, Вінницю
    "uk feminine consonant": ("і", "ню"),  # Волинь: Волині, на Волині, Волинню
    "uk neuter -я": ("я", "ю", "і", "ям"),  # Запоріжжя: Запоріжжю, у Запоріжжі
    "uk adjectival": ("ого", "ому", "им"),  # Рівне: Рівного, у Рівному, Рівним
    "uk plural": ("", "ам", "ах", "ами"),  # Суми: Сум, по Сумах, у Сумах
    "uk plural -ів": ("ів", "ям", "ях", "ями"),  # Чернівці: Чернівців, у Чернівцях
    # Russian
    "ru masculine hard": ("а", "у", "е", "ом"),  # Харьков: Харькова, по Харькову, в Харькове
    "ru masculine soft": ("я", "ю", "е", "ем"),  # Тернополь: Тернополя, в Тернополе
    "ru feminine hard": ("ы", "е", "у", "ой", "ою"),  # Одесса: Одессы, в Одессе, Одессу
    "ru feminine -ца": ("ы", "е", "у", "ей"),  # Винница: Винницы, в Виннице, Винницей
    "ru feminine consonant": ("и", "ью"),  # Волынь: Волыни, на Волыни, Волынью
    "ru neuter -ье": ("ья", "ью", "ье", "ьем"),  # Запорожье: Запорожья, в Запорожье
    "ru adjectival": ("ого", "ому", "ом", "им"),  # Хмельницкий: Хмельницкого, в Хмельницком
    "ru plural": ("", "ам", "ах", "ами"),  # Сумы: Сум, по Сумам, в Сумах
    "ru plural, genitive apart": ("ам", "ах", "ами"),  # Черновцы: в Черновцах
}

# Nominative -> (oblique stem, pattern, ...) for every Cyrillic centre name and the informal
# region names not ending in "-ина"; a name spelled alike in both languages has a pattern for
# each. "Ровно" is left out: Russian usage keeps it undeclined ("в Ровно").
_DECLENSIONS: dict[str, tuple[str, ...]] = {
    "Вінниця": ("Вінниц", "uk feminine soft"),
    "Винница": ("Винниц", "ru feminine -ца"),
    "Луцьк": ("Луцьк", "uk masculine velar"),
    "Луцк": ("Луцк", "ru masculine hard"),
    "Луганськ": ("Луганськ", "uk masculine velar"),
    "Луганск": ("Луганск", "ru masculine hard"),
    "Дніпро": ("Дніпр", "uk masculine hard"),
    "Дніпропетровськ": ("Дніпропетровськ", "uk masculine velar"),
    "Днепр": ("Днепр", "ru masculine hard"),
    "Днепропетровск": ("Днепропетровск", "ru masculine hard"),
    "Донецьк": ("Донецьк", "uk masculine velar"),
    "Донецк": ("Донецк", "ru masculine hard"),
    "Житомир": ("Житомир", "uk masculine hard", "ru masculine hard"),
    "Ужгород": ("Ужгород", "uk masculine hard", "ru masculine hard"),
    "Запоріжжя": ("Запоріжж", "uk neuter -я"),
    "Запорожье": ("Запорож", "ru neuter -ье"),
    "Івано-Франківськ": ("Івано-Франківськ", "uk masculine velar"),
    "Ивано-Франковск": ("Ивано-Франковск", "ru masculine hard"),
    "Київ": ("Києв", "uk masculine hard"),
    "Киев": ("Киев", "ru masculine hard"),
    "Кропивницький": ("Кропивницьк", "uk adjectival"),
    "Кіровоград": ("Кіровоград", "uk masculine hard"),
    "Кропивницкий": ("Кропивницк", "ru adjectival"),
    "Кировоград": ("Кировоград", "ru masculine hard"),
    "Севастополь": ("Севастопол", "uk masculine soft", "ru masculine soft"),
    "Сімферополь": ("Сімферопол", "uk masculine soft"),
    "Симферополь": ("Симферопол", "ru masculine soft"),
    "Львів": ("Львов", "uk masculine hard"),
    "Львов": ("Львов", "ru masculine hard"),
    "Миколаїв": ("Миколаєв", "uk masculine hard"),
    "Николаев": ("Николаев", "ru masculine hard"),
    "Одеса": ("Одес", "uk feminine hard"),
    "Одесса": ("Одесс", "ru feminine hard"),
    "Полтава": ("Полтав", "uk feminine hard", "ru feminine hard"),
    "Рівне": ("Рівн", "uk adjectival"),
    "Суми": ("Сум", "uk plural"),
    "Сумы": ("Сум", "ru plural"),
    "Тернопіль": ("Тернопол", "uk masculine soft"),
    "Тернополь": ("Тернопол", "ru masculine soft"),
    "Харків": ("Харков", "uk masculine hard"),
    "Харьков": ("Харьков", "ru masculine hard"),
    "Херсон": ("Херсон", "uk masculine hard", "ru masculine hard"),
    "Хмельницький": ("Хмельницьк", "uk adjectival"),
    "Хмельницкий": ("Хмельницк", "ru adjectival"),
    "Черкаси": ("Черкас", "uk plural"),
    "Черкассы": ("Черкасс", "ru plural"),
    "Чернігів": ("Чернігов", "uk masculine hard"),
    "Чернигов": ("Чернигов", "ru masculine hard"),
    "Чернівці": ("Чернівц", "uk plural -ів"),
    "Черновцы": ("Черновц", "ru plural, genitive apart"),
    # Informal region names
    "Волинь": ("Волин", "uk feminine consonant"),
    "Волынь": ("Волын", "ru feminine consonant"),
    "Закарпаття": ("Закарпатт", "uk neuter -я"),
    "Прикарпаття": ("Прикарпатт", "uk neuter -я"),
    "Закарпатье": ("Закарпат", "ru neuter -ье"),
    "Прикарпатье": ("Прикарпат", "ru neuter -ье"),
    "Крим": ("Крим", "uk masculine -у"),
    "Крым": ("Крым", "ru masculine hard"),  # Крыма, в Крыму, о Крыме
}

# Forms no pattern gives: the Russian genitive of "Черновцы" is "Черновиц".
_IRREGULAR = {"Черновцы": ("Черновиц",)}

_UKRAINIAN_ONLY = set("іїєґІЇЄҐ")
_RUSSIAN_ONLY = set("ыэъёЫЭЪЁ")


def _languages(word: str) -> tuple[str, ...]:
    """Which of "uk" and "ru" a word is in, by the letters only one of the two alphabets has."""
    letters = set(word)
    if letters & _UKRAINIAN_ONLY:
        return ("uk",)
    if letters & _RUSSIAN_ONLY:
        return ("ru",)
    return ("uk", "ru")


def case_forms(word: str) -> tuple[str, ...]:
    """The nominative and oblique case forms of a centre or informal region name.

    A word ending in "-ина" is a feminine noun of the hard pattern ("Київщина", "Буковина"),
    declined as Ukrainian, Russian, or (spelled alike in both, "Полтавщина") as both.
    Words with no known pattern (Latin spellings, multi-word names) are returned alone.

    >>> case_forms("Харків")
    ('Харків', 'Харкова', 'Харкову', 'Харкові', 'Харковом')
    >>> case_forms("Вінниччина")
    ('Вінниччина', 'Вінниччини', 'Вінниччині', 'Вінниччину', 'Вінниччиною')
    """
    if word in _DECLENSIONS:
        stem, *patterns = _DECLENSIONS[word]
    elif word.endswith("ина") and " " not in word:
        stem = word[:-1]
        patterns = [f"{language} feminine hard" for language in _languages(word)]
    else:
        return (word,)
    forms = [word] + [stem + ending for pattern in patterns for ending in _ENDINGS[pattern]]
    forms += _IRREGULAR.get(word, ())
    return tuple(dict.fromkeys(forms))


# The oblast adjective and "область" agree in case: nominative, genitive, dative and locative,
# accusative, instrumental.
_UKRAINIAN_OBLAST_CASES = (
    ("а", "область"),
    ("ої", "області"),
    ("ій", "області"),
    ("у", "область"),
    ("ою", "областю"),
)
_RUSSIAN_OBLAST_CASES = (
    ("ая", "область"),
    ("ой", "области"),
    ("ую", "область"),
    ("ой", "областью"),
    ("ою", "областью"),
)
_ABBREVIATION = "обл"


def oblast_phrases(ukrainian: str, russian: str) -> tuple[str, ...]:
    """Every case of an oblast's Ukrainian and Russian name, with and without "область".

    ``ukrainian`` and ``russian`` are the adjectives in the nominative ("Вінницька",
    "Винницкая"). The adjective alone ("Вінницької") is included: headlines drop the noun.

    >>> oblast_phrases("Вінницька", "Винницкая")[:3]
    ('Вінницька', 'Вінницька область', 'Вінницька обл')
    >>> "Винницкой области" in oblast_phrases("Вінницька", "Винницкая")
    True
    """
    phrases: list[str] = []
    for adjective, stem_cut, cases in (
        (ukrainian, 1, _UKRAINIAN_OBLAST_CASES),
        (russian, 2, _RUSSIAN_OBLAST_CASES),
    ):
        stem = adjective[:-stem_cut]
        for ending, noun in cases:
            phrases += [stem + ending, f"{stem}{ending} {noun}", f"{stem}{ending} {_ABBREVIATION}"]
    return tuple(dict.fromkeys(phrases))
