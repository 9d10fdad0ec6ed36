"""Parts the generator builds synthetic names and prose from.

Common Azerbaijani given names and name roots (surnames are mostly formed
from a given name plus a suffix); combinations are synthetic, not people.
The sentences are generic filler in the dataset's register, not facts.
"""

MALE = """Əli Vəli Məmməd Həsən Hüseyn Rəsul Cəfər Abbas Nəsir Bağır Rəhim Kərim Səlim Elçin Elnur Elvin
Ramil Rauf Rövşən Tural Orxan Anar Vüqar Zaur Fuad Fərid Cavid Kamran Nicat Murad Namiq Natiq Nazim
Oqtay Pərviz Qasım Rafiq Rasim Rəşad Samir Sənan Seymur Şahin Taleh Toğrul Ülvi Vaqif Vasif Yaşar
Zahid Zəfər Azər Bəhruz Cahid Cəlal Dəyanət Emin Eldar Elşən İlham İlqar İsmayıl Kamil Mahir Mehman
Mirzə Nurlan Nüsrət Polad Ruslan Sahib Sərdar Sultan Şamil Teymur Ümid Xəyal Yusif Zakir Ziya""".split()

FEMALE = """Aynur Aygün Aysel Aytən Bəsti Cəmilə Dilarə Elnarə Esmira Fatimə Firuzə Gülnarə Gülşən Günay
Həcər Xədicə Xanım İradə Kəmalə Lalə Leyla Mələk Nərgiz Nigar Nuranə Rəna Röya Səbinə Sevinc Solmaz
Şəbnəm Şəhla Təranə Ülviyyə Vüsalə Yeganə Zemfira Zülfiyyə Arzu Afaq Bahar Dürdanə Gültəkin Könül
Lamiyə Mətanət Nailə Pərvanə Sədaqət Tünzalə""".split()

PREFIXES = ["", "Hacı", "Mir", "Molla", "Kərbəlayı", "Məşədi", "Ağa", "Şeyx", "Bəy", "Xan"]

ROOTS = sorted(set(MALE) | set("""Qafar Kazım Ağa Bəşir Dadaş Eyvaz Fərhad Gəray Heydər İbrahim Qurban Lətif
Mustafa Nadir Oruc Paşa Qənbər Rza Salman Tağı Umud Vahab Yaqub Zülfüqar Ələkbər Əsgər Əziz Bayram
Cabbar Əhməd Fəttah Hacıbala İsa Musa Nəbi Səməd Tahir Vəkil Xəlil Yunis Zeynal Babək Cümşüd Dünyamalı
Əmir Fazil Hümbət İmran Kamal Mehdi Novruz Qəzənfər Rüstəm Sadıq Talıb Əhəd Binnət Əyyub Fəxrəddin
Hidayət Ağasəf Məhərrəm Nəriman Süleyman Şirin Tofiq Valeh Yadigar""".split()))

SUFFIXES = ["ov", "li", "zadə", "bəyli", "xanlı", "oğlu"]

SENTENCES = [
    "Held in custody for several weeks.",
    "Questioned repeatedly without a lawyer.",
    "Relatives were not told where the person was held.",
    "Released later without charge.",
    "Reported beatings during interrogation.",
    "Treated in hospital after release.",
    "Filed a complaint that was not investigated.",
    "The sources give different dates for the arrest.",
    "Named in a list published by rights defenders.",
    "A court later reviewed the case.",
    "The figure is given without a breakdown.",
    "The account comes from a family member.",
    "Transferred between detention sites.",
    "The statement repeats an earlier figure.",
    "No official record has been published.",
    "The decision was appealed.",
]
