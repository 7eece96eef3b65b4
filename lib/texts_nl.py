"""Every Dutch UI string and all Dutch number formatting, in one place.

Strings are looked up by key with :func:`t` (``t("overzicht.titel")``); keys are
grouped by page. A test checks that every key used in the code exists here.
Numbers are formatted the Dutch way: ``1.234,5`` and ``12,3 %``.
"""
from __future__ import annotations

import math
import re
from datetime import date

MISSING = "geen gegevens"

TEXT: dict[str, str] = {
    # --- app shell -----------------------------------------------------------
    "app.titel": "Gemeenten in coronatijd",
    "app.ondertitel": "De gemeente als sterke schakel tussen inwoners, ondernemers en instellingen",
    "nav.overzicht": "Overzicht",
    "nav.werkloosheid": "Werkloosheid",
    "nav.mkb": "MKB-kwetsbaarheid",
    "nav.initiatieven": "Initiatieven",
    "nav.co2": "Woon-werk CO2",
    "nav.bronnen": "Bronnen",
    "nav.vergelijken": "Vergelijken",
    "sidebar.kies_gemeente": "Gemeente",
    "sidebar.kies_gemeente_hulp": "Typ om te zoeken. De keuze geldt op alle pagina's en staat in de link (?gemeente=GM0363).",
    "sidebar.zoek": "Zoek een gemeente",
    "sidebar.indeling": "Gemeentelijke indeling 2023 (342 gemeenten, ook geldig voor 2024 en 2025).",
    "sidebar.provincie": "Provincie",
    "sidebar.amr": "Arbeidsmarktregio",
    "url.pagina_onbekend": "De pagina ‘{pad}’ bestaat niet in deze app. U ziet het {overzicht}; kies een pagina in het menu.",
    "url.oude_code": "{code} is de code van {oud}, dat per 1 januari {jaar} is opgegaan in {naam}. Gekozen is {naam}.",
    "url.oude_code_verdeeld": "{code} is de code van {oud}, dat per 1 januari {jaar} is verdeeld over meerdere "
                              "gemeenten. Gekozen is {naam}, dat het grootste deel kreeg.",
    "sidebar.gekozen": "Gekozen gemeente: {naam}",
    "presentatie.toggle": "Presentatiemodus",
    "presentatie.hulp": "Voor een scherm in de zaal: geen zijbalk en toelichtingen, grotere letters. Ook via de link met ?presentatie=1.",
    "url.onbekend": "De gemeentecode '{code}' in de link is onbekend. Gekozen is {naam} ({default}).",
    "url.ongeldig": "De link bevat geen geldige gemeentecode ('{code}'); verwacht is bijvoorbeeld GM0363. Gekozen is {naam} ({default}).",
    "data.fout_titel": "De gegevens kunnen niet worden geladen.",
    "data.fout_hulp": "De beheerder van deze app kan het datapakket opnieuw bouwen (zie de README).",
    # --- data pack errors -----------------------------------------------------
    "err.pack_ontbreekt": "de datamap '{pad}' bestaat niet. Zet GEMEENTEN_DATA_DIR op de map met het datapakket.",
    "err.bestand_ontbreekt": "het bestand ontbreekt in het datapakket.",
    "err.manifest_ontbreekt": "het pakket heeft geen manifest.json; bouw het pakket opnieuw (zie de README).",
    "err.manifest_vorm": "het manifest is niet in de verwachte vorm; bouw het pakket opnieuw.",
    "err.hash_anders": "het bestand is gewijzigd sinds het pakket werd gebouwd (de controlesom klopt niet); "
                       "bouw het pakket opnieuw, wijzig gebouwde bestanden nooit met de hand.",
    "err.pack_tabel_ontbreekt": "het pakket bevat de tabel '{tabel}' niet; bouw het pakket opnieuw (zie de README).",
    "err.pack_controle": "het pakket doorstaat {n} controle(s) niet, bijvoorbeeld: {eerste}",
    "err.bestand_leeg": "het bestand is leeg.",
    "err.onleesbaar": "het bestand is niet te lezen ({detail}).",
    "err.kolom_ontbreekt": "kolom '{kolom}' ontbreekt (gevonden kolommen: {gevonden}).",
    "err.geen_getal": "kolom '{kolom}' bevat waarden die geen getal zijn, bijvoorbeeld '{waarde}' (rij {rij}).",
    "err.ongeldige_waarde": "kolom '{kolom}' bevat een ongeldige waarde '{waarde}' (rij {rij}; controle: {controle}).",
    "err.dubbele_code": "gemeentecode {code} komt meer dan één keer voor.",
    "err.onbekende_code": "gemeentecode {code} bestaat niet in de gemeentelijke indeling {jaar}.",
    "err.geen_rijen": "het bestand bevat geen rijen voor {wat}.",
    "err.geometrie": "de geometrie is ongeldig of leeg ({detail}).",
    # --- generic ---------------------------------------------------------------
    "bron.prefix": "Bron",
    "bron.peildatum": "peildatum",
    "bron.licentie": "licentie",
    "rang": "rang {rang} van {totaal}",
    "ini.modus.open": "Open modus: elke inzending is direct zichtbaar en telt mee (bedoeld voor workshops). "
                      "Stel een redacteurswachtwoord in om inzendingen eerst te laten beoordelen.",
    "ini.modus.beoordeeld": "Beoordeelde modus: inzendingen van bezoekers verschijnen pas na goedkeuring door een "
                            "redacteur. Redacteuren vullen het wachtwoord in om direct op te slaan of te beoordelen.",
    "ini.veld.soort": "Soort",
    "ini.veld.wachtwoord_optioneel": "Wachtwoord redacteur (leeg laten: uw inzending wordt eerst beoordeeld)",
    "ini.ontvangen": "Ontvangen: '{naam}' in {gemeente} verschijnt na beoordeling door een redacteur.",
    "ini.beoordelen": "Beoordelen (redacteuren)",
    "ini.beoordelen.aantal": "{n} inzending(en) wachten op beoordeling.",
    "ini.beoordelen.kies": "Inzending of ingevoerd initiatief",
    "ini.beoordelen.geen": "Kies een initiatief",
    "ini.beoordelen.reden": "Reden (verplicht bij verbergen)",
    "ini.beoordelen.naam": "Nieuwe naam (bij bewerken)",
    "ini.beoordelen.goedkeuren": "Goedkeuren",
    "ini.beoordelen.verbergen": "Verbergen",
    "ini.beoordelen.bewerken": "Naam wijzigen",
    "ini.beoordelen.klaar": "Gewijzigd; de wijziging staat in het logboek.",
    "ini.beoordelen.logboek": "Logboek: de laatste wijzigingen (wanneer, initiatief, wat).",
    "ini.wachtwoord_wacht": "Te veel onjuiste wachtwoorden. Probeer het over {seconden} seconden opnieuw.",
    "invoer.leeg": "'{veld}' is leeg: vul een getal in.",
    "invoer.punt": "'{veld}': '{tekst}' is dubbelzinnig. Gebruik een komma voor decimalen ({komma}) en een punt "
                   "alleen tussen duizendtallen (1.500).",
    "invoer.geen_getal": "'{veld}': '{tekst}' is geen getal. Gebruik bijvoorbeeld 12,5 of 1.500.",
    "invoer.begrepen": "Begrepen als {waarde}.",
    "rang.gedeeld": "rang {rang} van {totaal} (gedeeld met {n} andere)",
    "rang.uitleg": "Rang 1 = de hoogste waarde van alle gemeenten; gemeenten met dezelfde waarde delen een rang.",
    "klein_aantal": "⚠ klein aantal: berust op {aantal} {wat} (minder dan {drempel}); rang en cijfer zeggen weinig.",
    "klein_aantal_kort": "⚠ klein aantal",
    "nederland": "Nederland",
    "geen_gegevens": MISSING,
    "download.excel": "Download voor Excel (CSV)",
    "download.excel_hulp": "Opent goed in Nederlandse Excel: puntkomma's, decimale komma, afgerond zoals op de pagina.",
    "download.plain": "Download CSV (data)",
    "download.plain_hulp": "Voor verdere verwerking: komma's, decimale punt, volledige precisie (UTF-8).",
    "kaart.legenda": "Legenda",
    "kaart.geen_gegevens": "geen gegevens",
    "kaart.geselecteerd": "gekozen gemeente",
    "kaart.niveau": "Niveau",
    "kaart.niveau.gemeente": "Gemeente",
    "kaart.niveau.arbeidsmarktregio": "Arbeidsmarktregio",
    "kaart.niveau.provincie": "Provincie",
    "kaart.klik_hint": "Klik op een gemeente om die te kiezen.",
    "kaart.tabel": "Kaart als tabel (ook voor schermlezers en toetsenbord)",
    "kaart.buren": "Buurgemeenten van {naam}",
    "kaart.buren_hulp": "Kies een buurgemeente (ook met Tab en Enter); de kaart gaat erheen.",
    "kaart.geen_buren": "{naam} grenst over land aan geen andere gemeente (een eiland of een grensgemeente alleen aan het buitenland).",
    "kaart.punten_samen": "{n} initiatieven, o.a. {voorbeelden}",
    "kaart.punten_samengevoegd": "{n} initiatieven met een locatie: te veel om elk apart te tonen; samengevoegd per vak van "
                                 "ongeveer {km} km (grotere cirkel = meer initiatieven). De tabel hieronder toont ze allemaal.",
    "kaart.download": "Download kaart (SVG, met legenda en bron)",
    "kaart.bron_onbekend": "Bron: zie de pagina Bronnen van Gemeenten in coronatijd.",
    "kaart.tabel.gebied": "Gebied",
    "kaart.tabel.klasse": "Klasse op de kaart",
    "kaart.tabel.gekozen": "Gekozen",
    "kaart.klassen.vast": "Klassen: vaste grenzen, gelijk op elke kaart van deze indicator en dit niveau.",
    "kaart.klassen.natuurlijk": "Klassen: natuurlijke breuken (Fisher-Jenks) in de waarden van deze kaart.",
    "kaart.richting.hoger_slechter": "Donkerder is hoger; bij deze indicator is hoger ongunstiger.",
    "kaart.richting.hoger_beter": "Donkerder is hoger; bij deze indicator is hoger gunstiger.",
    "kaart.zonder_achtergrond": "De kaart toont grenzen zonder achtergrondkaart (offline).",
    # --- overview --------------------------------------------------------------------
    "overzicht.titel": "Overzicht",
    "overzicht.titel_presentatie": "{naam} · {indicator}",
    "overzicht.naar_vergelijken": "Vergelijk deze gemeenten naast elkaar",
    "overzicht.intro": (
        "In april 2020 kregen gemeenten het advies de sterke schakel te zijn tussen inwoners, "
        "ondernemers en instellingen, op vier thema's: werkloosheid, kwetsbaar mkb, "
        "initiatieven van inwoners en thuiswerken. Kies een gemeente in de zijbalk of op de kaart."
    ),
    "overzicht.indicator": "Indicator op de kaart",
    "overzicht.periode": "Periode",
    "overzicht.kol_gemeente": "Gemeente",
    "overzicht.kol_inwoners": "Inwoners (2020)",
    "overzicht.kol_oad": "Adressen per km² (omgeving)",
    "overzicht.profiel": "Profiel van {naam}",
    "overzicht.kerncijfers": "Kerncijfers",
    "overzicht.nl_waarde": "{periode} · Nederland: {waarde}",
    "overzicht.vergelijkbaar": "Vergelijkbare gemeenten",
    "overzicht.vergelijkbaar_uitleg": (
        "Gemeenten die het meest lijken op {naam} in inwonertal en omgevingsadressendichtheid "
        "(maat voor stedelijkheid), beide op de indeling 2023."
    ),
    "overzicht.regio": "{naam} ligt in de provincie {provincie} en in arbeidsmarktregio {amr}.",
    # --- werkloosheid -------------------------------------------------------------------
    "wl.titel": "Werkloosheid",
    "wl.intro": (
        "In maart 2020 liep het aantal WW-uitkeringen in één maand sterk op. Het advies aan gemeenten: "
        "maak met de arbeidsmarktregio een quickscan van de regionale arbeidsmarkt, voor de korte en de "
        "lange termijn. Hier: WW, bijstand en arbeidsongeschiktheid per 1.000 inwoners, per gemeente en "
        "per arbeidsmarktregio."
    ),
    "wl.offline_melding": (
        "Per gemeente bevat het datapakket alleen KWB {jaren} (uitkeringen rond de jaarwisseling vóór het "
        "KWB-jaar; inwoners op 1 januari). Beide liggen vóór de coronaschok van maart 2020: de kaart en tabel "
        "tonen de uitgangssituatie, niet het effect. De maandreeks per gemeente (CBS 80794ned) komt na "
        "verversing bij het CBS (de beheerder van de app ververst de bronnen; zie de README)."
    ),
    "wl.maand_melding": "Maandreeks per gemeente uit CBS 80794ned: {van} tot en met {tot}.",
    "wl.landelijk": "Landelijke trend",
    "wl.landelijk_uitleg": (
        "WW-cijfers van UWV tellen lopende uitkeringen; de KWB- en bijstandscijfers van het CBS tellen "
        "personen. Daarom staan ze als aparte reeksen in de grafiek, niet als één lijn."
    ),
    "wl.schok": "coronaschok (maart 2020)",
    "wl.reeks.ww_maand": "WW-uitkeringen, eind van de maand (UWV)",
    "wl.reeks.ww_jaar": "WW-uitkeringen, eind van het jaar (UWV)",
    "wl.reeks.bijstand_kwartaal": "Personen met bijstand, per kwartaal (CBS)",
    "wl.reeks.ww_kwb": "Personen met WW, KWB (CBS)",
    "wl.reeks.bijstand_kwb": "Personen met bijstand, KWB (CBS)",
    "wl.eenheid.uitkeringen": "uitkeringen",
    "wl.eenheid.personen": "personen",
    "wl.as.datum": "Peildatum",
    "wl.as.aantal": "Aantal",
    "wl.as.reeks": "Reeks",
    "wl.as.eenheid": "Eenheid",
    "wl.per_gemeente": "Per gemeente",
    "wl.maat": "Maat",
    "wl.periode": "Periode",
    "wl.vergelijking": "{gemeente} naast de regio en Nederland",
    "wl.m.gemeente": "{gemeente}",
    "wl.m.regio": "Arbeidsmarktregio {regio}",
    "wl.m.nl": "Nederland",
    "wl.rang_nl": "{rang} in Nederland",
    "wl.rang_regio": "rang {rang} van {totaal} in de regio",
    "wl.verandering": "Verandering {van} → {tot}: {abs} per 1.000 inwoners ({pct})",
    "wl.trend_maand": "Maandelijkse trend: index (februari 2020 = 100)",
    "wl.trend_niveau": "Per 1.000 inwoners",
    "wl.trend_reeks.gemeente": "Gemeente",
    "wl.trend_reeks.regio": "Arbeidsmarktregio",
    "wl.trend_reeks.nederland": "Nederland",
    "wl.index": "Index",
    "wl.tabel": "Gemeenten in de regio en in Nederland",
    "wl.tabel_alle": "Toon alle 342 gemeenten (anders: de gemeenten van de eigen arbeidsmarktregio)",
    "wl.tabel_uitleg": "Klik op een kolomkop om te sorteren. Verschil: van {van} naar {tot}.",
    "wl.kol.gemeente": "Gemeente",
    "wl.kol.amr": "Arbeidsmarktregio",
    "wl.kol.provincie": "Provincie",
    "wl.kol.verschil": "Verschil",
    "wl.kol.verschil_pct": "Verschil (%)",
    "wl.kol.rang": "Rang in NL",
    "wl.kol.rang_regio": "Rang in regio",
    "wl.qs.titel": "Quickscan arbeidsmarktregio {regio}",
    "wl.qs.intro": "{gemeente} ligt in arbeidsmarktregio {regio} ({n} gemeenten, indeling 2022 op de gemeenten van 2023).",
    "wl.qs.gemeenten": "Gemeenten in de regio",
    "wl.qs.niveau": "Uitkeringen per 1.000 inwoners",
    "wl.qs.maat": "Maat",
    "wl.qs.regio": "Regio",
    "wl.qs.verandering_regio": "Verandering regio",
    "wl.qs.verandering_nl": "Verandering NL",
    "wl.qs.verandering_uitleg": "Verandering: van {van} naar {tot}.",
    "wl.qs.grootste": "Grootste gemeenten",
    "wl.qs.inwoners": "inwoners",
    "wl.qs.sectoren": "Vestigingen in de sectoren die het eerst geraakt werden",
    "wl.qs.van_alle": "van alle vestigingen in de regio",
    "wl.qs.gi_let_op": "Let op: handel en horeca (G+I) zijn in deze bron één groep; horeca apart vraagt een verversing van CBS 81575NED.",
    "wl.qs.bronnen": "Bronnen",
    "wl.qs.download": "Download quickscan (Markdown)",
    # --- mkb -------------------------------------------------------------------------------
    "wl.punt.titel": "Punt",
    "wl.punt.gemeten": "gepubliceerd cijfer",
    "wl.punt.afgeleid": "afgeleid uit een gemeld verschil (geen gepubliceerd cijfer)",
    "mkb.titel": "MKB-kwetsbaarheid",
    "mkb.intro": (
        "Na horeca, cultuur en evenementen en detailhandel volgen de conjunctuurgevoelige sectoren: bouw, "
        "industrie, handel en logistiek. Welke gemeenten hebben de meeste bedrijven in de sectoren die het "
        "eerst en daarna geraakt worden? Denk daarbij ook aan ondernemers met een maatschappelijke missie."
    ),
    "mkb.let_op_gi": (
        "Let op: in het offline datapakket zijn handel en horeca één sectorgroep (G+I), net als cultuur, "
        "recreatie en overige diensten (R-U). Horeca apart (SBI I) komt na een verversing van CBS 81575NED; "
        "de pagina gebruikt dan vanzelf de SBI-secties."
    ),
    "mkb.sbi_melding": "Sectoren: SBI-secties uit CBS 81575NED ({periode}); horeca (I) staat apart.",
    "mkb.scenario": "Scenario",
    "mkb.scenario.eerste_golf": "Eerste golf",
    "mkb.scenario.tweede_golf": "Tweede golf",
    "mkb.scenario.eigen": "Eigen weging",
    "mkb.scenario_uitleg.eerste_golf": "Eerste golf (advies: horeca, cultuur en evenementen, detailhandel). Met de "
                                       "sectorgroepen van dit pakket meet de index het aandeel vestigingen in handel "
                                       "en horeca (G+I) en in cultuur, recreatie en overige diensten (R-U).",
    "mkb.noemer": "Noemer van de index: het gepubliceerde totaal aantal vestigingen (excl. overheid, onderwijs en "
                  "zorg), dezelfde {totaal} als op het overzicht en in de export.",
    "mkb.noemer_sbi": "Noemer van de index: de som van de SBI-secties.",
    "mkb.horeca_aandeel": "Let op: horeca is landelijk maar {aandeel} van handel en horeca (G+I): {horeca} van "
                          "{gi} vestigingen op 1 januari 2020 ({bron}). Een hoge index wijst vooral op veel "
                          "handel; horeca apart komt na een verversing van CBS 81575NED.",
    "mkb.scenario_uitleg.tweede_golf": "Tweede golf: bouw en industrie, handel, vervoer en logistiek.",
    "mkb.scenario_uitleg.eigen": "Eigen weging: geef elke sector een gewicht van 0 tot 100 %.",
    "mkb.gewichten": "Gewichten",
    "mkb.gewichten_uitleg": (
        "Index = gewogen aandeel van de vestigingen (%). In de twee scenario's krijgen de sectoren die het "
        "advies noemt gewicht 100 % en de andere 0 %: dan is de index het aandeel vestigingen in die sectoren. "
        "Het datapakket heeft alleen voor horeca en detailhandel een landelijk omzetcijfer; dat staat als "
        "onderbouwing bij de sector, maar wordt niet omgerekend naar een gewicht."
    ),
    "mkb.kol.sector": "Sector",
    "mkb.kol.gewicht": "Gewicht",
    "mkb.kol.onderbouwing": "Onderbouwing",
    "mkb.genoemd": "genoemd in het advies ({scenario})",
    "mkb.niet_genoemd": "niet genoemd in dit scenario",
    "mkb.eigen_keuze": "eigen keuze",
    "mkb.fout_negatief": "Het gewicht van '{sector}' is negatief. Gebruik een gewicht van 0 tot 100 %.",
    "mkb.fout_nul": "Alle gewichten zijn 0. Geef minstens één sector een gewicht groter dan 0.",
    "mkb.fout_onbekend": "Onbekende sector '{sector}'.",
    "mkb.kaart": "Blootstellingsindex per {niveau}",
    "mkb.m.index": "Blootstellingsindex",
    "mkb.m.blootgesteld": "Vestigingen in geraakte sectoren",
    "mkb.m.totaal": "Vestigingen (totaal)",
    "mkb.m.per_1000": "Vestigingen per 1.000 inwoners",
    "mkb.nl": "Nederland: {waarde}",
    "mkb.klein": "Let op: {naam} heeft {aantal} vestigingen; bij kleine aantallen (minder dan {grens}) zegt een aandeel weinig.",
    "mkb.mix": "Sectormix van {naam} naast Nederland",
    "mkb.mix.as": "Aandeel van de vestigingen (%)",
    "mkb.mix.gemeente": "{naam}",
    "mkb.mix.nl": "Nederland",
    "mkb.top": "Top 20 meest blootgestelde gemeenten",
    "mkb.top_uitleg": "Met het aantal vestigingen achter elk aandeel; ⚠ = minder dan {grens} vestigingen.",
    "mkb.kol.gemeente": "Gemeente",
    "mkb.kol.index": "Index (%)",
    "mkb.kol.blootgesteld": "Vestigingen geraakt",
    "mkb.kol.totaal": "Vestigingen totaal",
    "mkb.kol.per_1000": "Per 1.000 inwoners",
    "mkb.kol.rang": "Rang",
    "mkb.kol.klein": "Klein aantal",
    "mkb.geen_gegevens": "Voor {naam} zijn geen vestigingscijfers beschikbaar.",
    "mkb.sector.A": "Landbouw, bosbouw en visserij (A)",
    "mkb.sector.BF": "Nijverheid, energie en bouw (B-F)",
    "mkb.sector.GI": "Handel en horeca (G+I)",
    "mkb.sector.HJ": "Vervoer, informatie en communicatie (H+J)",
    "mkb.sector.KL": "Financiële diensten en onroerend goed (K-L)",
    "mkb.sector.MN": "Zakelijke dienstverlening (M-N)",
    "mkb.sector.RU": "Cultuur, recreatie en overige diensten (R-U)",
    **{f"mkb.sector.{k}": v for k, v in {
        "B": "Delfstoffenwinning (B)", "C": "Industrie (C)", "D": "Energievoorziening (D)",
        "E": "Waterbedrijven en afvalbeheer (E)", "F": "Bouwnijverheid (F)", "G": "Handel (G)",
        "H": "Vervoer en opslag (H)", "I": "Horeca (I)", "J": "Informatie en communicatie (J)",
        "K": "Financiële dienstverlening (K)", "L": "Verhuur en handel van onroerend goed (L)",
        "M": "Specialistische zakelijke diensten (M)", "N": "Verhuur en overige zakelijke diensten (N)",
        "O": "Openbaar bestuur (O)", "P": "Onderwijs (P)", "Q": "Gezondheids- en welzijnszorg (Q)",
        "R": "Cultuur, sport en recreatie (R)", "S": "Overige dienstverlening (S)",
        "T": "Huishoudens (T)", "U": "Extraterritoriale organisaties (U)"}.items()},
    "mkb.bewijs.horeca_turnover_change_2020_vs_2019": "omzet horeca 2020 t.o.v. 2019: {waarde} %",
    "mkb.bewijs.horeca_turnover_2021_vs_2019": "omzet horeca 2021 t.o.v. 2019: {waarde} %",
    "mkb.bewijs.retail_turnover_change_July2020_vs_July2019": "omzet detailhandel juli 2020 t.o.v. juli 2019: {waarde} %",
    # --- woon-werk CO2 ----------------------------------------------------------------------
    "co2.titel": "Woon-werk CO2",
    "co2.intro": (
        "Leg thuiswerken vast in de personeelsregels en in het duurzaamheidsbeleid: minder woon-werkkilometers "
        "verlagen de CO2-voetafdruk. Reken het uit voor de eigen organisatie of voor het woon-werkverkeer van "
        "alle inwoners."
    ),
    "co2.modus": "Rekenen voor",
    "co2.modus.eigen": "Eigen organisatie",
    "co2.modus.inwoners": "Alle inwoners",
    "co2.invoer": "Uitgangspunten",
    "co2.invoer_uitleg": "Elke standaardwaarde met haar bron; pas aan wat u beter weet.",
    "co2.veld.thuiswerk_aandeel": "Aandeel banen dat thuis kan (%)",
    "co2.veld.thuiswerkdagen": "Thuiswerkdagen per week",
    "co2.veld.werkweken": "Werkweken per jaar",
    "co2.veld.auto_aandeel": "Aandeel woon-werkkilometers als autobestuurder (%)",
    "co2.veld.ov_aandeel": "Aandeel woon-werkkilometers met ov (%)",
    "co2.veld.kg_co2_auto": "kg CO2 per autokilometer",
    "co2.veld.kg_co2_ov": "kg CO2 per ov-reizigerskilometer",
    "co2.veld.medewerkers": "Aantal medewerkers",
    "co2.veld.afstand": "Gemiddelde enkele reisafstand (km)",
    "co2.fout_bereik": "'{veld}' valt buiten het toegestane bereik ({min} tot en met {max}).",
    "co2.fout_som": "Het aandeel auto en ov samen is meer dan 100 %.",
    "co2.bron.thuiswerk_aandeel": "Aanname (scenario): het datapakket bevat geen cijfer over thuiswerkbare banen; vul het eigen aandeel in.",
    "co2.bron.thuiswerkdagen": "Aanname (scenario): de beleidskeuze die u doorrekent.",
    "co2.bron.werkweken": "Aanname: 52 weken min 4 weken wettelijk minimumverlof (BW 7:634) min ca. 2 weken feestdagen.",
    "co2.bron.modal": "Afgeleid uit CBS 37774 (2003): forenzen × gemiddelde afstand per vervoerwijze (autobestuurder, ov) gedeeld door alle woon-werkkilometers. Oud cijfer; pas aan voor uw gemeente.",
    "co2.bron.ef_auto": "CO2emissiefactoren.nl, lijst 2026: gemiddelde auto, brandstof onbekend (well-to-wheel).",
    "co2.bron.ef_ov": "CO2emissiefactoren.nl, lijst 2026: ov algemeen (trein, bus, metro, tram), per reizigerskilometer.",
    "co2.kol.invoer": "Invoer",
    "co2.kol.standaard": "Standaard",
    "co2.kol.bron": "Bron",
    "co2.model": "Het model",
    "co2.model_uitleg": (
        "Woon-werkafstanden per woongemeente uit {banen} banen van werknemers (woon- en werkwijk, wijkindeling "
        "2015), wijken toegewezen aan de gemeenten van 2023. Hemelsbrede afstanden tussen wijkmiddelpunten zijn "
        "omgerekend naar wegafstand met een omwegfactor van {factor}: daarmee is het landelijk gemiddelde "
        "{doel} km, het CBS-cijfer voor 2015, het jaar van de banen in de matrix. De banen zijn geteld bij de "
        "woonwijk van de werknemer: de cijfers gaan over de inwoners van een gemeente, niet over de banen die "
        "er gevestigd zijn. (In het bronbestand heten de kolommen andersom: 'werk' is de woonwijk.) "
        "Ritten binnen één wijk ({binnen} van de banen) "
        "tellen voor de helft van de afstand tot het dichtstbijzijnde andere wijkmiddelpunt. Elke baan telt als "
        "vijf werkdagen per week; deeltijd maakt de besparing kleiner."
    ),
    "co2.eigen.titel": "Eigen organisatie van {gemeente}",
    "co2.eigen.afstand_hulp": "Standaard: de gemiddelde woon-werkafstand van de inwoners van {gemeente} volgens het model ({km} km).",
    "co2.eigen.afstand_geen": "Voor {gemeente} heeft het model geen woon-werkafstand; vul de afstand van uw eigen medewerkers in.",
    "co2.geen_gegevens": (
        "Geen woon-werkcijfers voor {gemeente}: de woon-werkmatrix (ca. 2015) bevat geen banen van de inwoners "
        "van {oud}. Die gemeenten veranderden op 1 januari 2016 (samengevoegd of nieuwe code) en hun woonwijken "
        "ontbreken in de bron. Een deelcijfer zou te laag zijn; het model toont daarom niets."
    ),
    "co2.geen_gegevens_kort": "Zonder woon-werkcijfers: {gemeenten} (de bron mist inwoners van gemeenten die in 2016 veranderden).",
    "co2.eigen.voorbeeld": "Voorbeeld: een organisatie met {n} medewerkers. Vul het aantal van uw eigen organisatie in.",
    "co2.eigen.vul_in": "Vul het aantal medewerkers van de gemeentelijke organisatie in om de besparing te berekenen.",
    "co2.eigen.resultaat": "CO2-besparing per jaar",
    "co2.memo_titel": "Tekst voor een notitie over thuiswerkbeleid",
    "co2.memo": (
        "Als {aandeel} van de {medewerkers} medewerkers van de gemeente {gemeente} {dagen} per week "
        "thuis werkt, rijden en reizen zij bij een gemiddelde enkele reisafstand van {afstand} km en {weken} "
        "werkweken per jaar samen ongeveer {km} woon-werkkilometers minder. Dat scheelt ongeveer {ton} ton CO2 "
        "per jaar. {bron}"
    ),
    "co2.uitleg": "Zo komt het getal tot stand",
    "co2.stap.km": "Vermeden woon-werkkilometers per jaar",
    "co2.stap.auto": "waarvan als autobestuurder: {km} km × {ef} kg CO2/km",
    "co2.stap.ov": "waarvan met ov: {km} km × {ef} kg CO2/km",
    "co2.stap.kg": "= {kg} kg CO2",
    "co2.stap.ton": "CO2-besparing per jaar: {ton} ton",
    "co2.inwoners.titel": "Woon-werkverkeer van alle inwoners",
    "co2.m.banen": "Banen van inwoners (werknemers)",
    "co2.m.afstand": "Gemiddelde enkele reisafstand (km)",
    "co2.m.km_dag": "Woon-werkkilometers per werkdag",
    "co2.m.ton": "CO2-besparing (ton per jaar)",
    "co2.m.per_inwoner": "CO2-besparing per inwoner (kg per jaar)",
    "co2.nl": "Nederland: {waarde}",
    "co2.nl_totaal": "Landelijk totaal bij deze uitgangspunten: {ton} ton CO2 per jaar.",
    "co2.kaart": "CO2-besparing per inwoner (kg per jaar)",
    "co2.ranking": "Rangorde van gemeenten",
    "co2.kol.gemeente": "Gemeente",
    "co2.kol.banen": "Banen",
    "co2.kol.afstand": "Afstand (km)",
    "co2.kol.ton": "CO2 (ton/jaar)",
    "co2.kol.per_inwoner": "kg per inwoner",
    "co2.kol.rang": "Rang",
    # --- initiatieven page ---------------------------------------------------------------------
    "ini.titel": "Initiatieven",
    "ini.intro": (
        "Breng in kaart welke initiatieven van onderop ontstaan en wat ze lokaal toevoegen, bijvoorbeeld "
        "tegen eenzaamheid onder ouderen, en vorm er coalities mee."
    ),
    "ini.dekking": (
        "Let op: de startvulling komt van een paar platforms die in het voorjaar van 2020 zijn "
        "uitgelezen (Helpradar: WijAmsterdam, NLvoorElkaar, PuurPapendrecht en andere; VPRO Coronapioniers), "
        "vooral uit Amsterdam. Het register is geen telling van alle initiatieven: weinig initiatieven in een "
        "gemeente betekent vaak alleen dat die platforms daar weinig werden gebruikt. Vul aan met eigen invoer."
    ),
    "ini.m.totaal": "Initiatieven in het register",
    "ini.m.gemeente": "Initiatieven en hulpaanbod in {gemeente}",
    "ini.m.totaal_uitleg": "{geteld} initiatieven en hulpaanbod; {vragen} hulpvragen (een signaal van behoefte, "
                           "niet meegeteld in de dichtheid).",
    "ini.m.hulpvragen": "Daarnaast {n} hulpvragen (behoefte, niet meegeteld).",
    "ini.m.per_10k": "Per 10.000 inwoners",
    "ini.m.onbekend": "Locatie onbekend",
    "ini.m.onbekend_uitleg": "Niet op de kaart en niet bij een gemeente geteld: geen punt en geen eenduidige gemeente in de locatietekst.",
    "ini.nl": "Nederland: {waarde}",
    "ini.kaart": "Initiatieven per 10.000 inwoners",
    "ini.punten": "Toon initiatieven als punten",
    "ini.punt.naam": "Initiatief",
    "ini.punt.thema": "Thema",
    "ini.behoefte": "Lokale behoefte: 65-plussers in {gemeente}",
    "ini.behoefte_bron": "Gezondheidsmonitor 2020 (RIVM/CBS/GGD'en); omgerekend naar de indeling 2023, gewogen naar het aantal 65-plussers.",
    "ini.spreiding": "Initiatieven tegenover eenzaamheid onder 65-plussers",
    "ini.spreiding.x": "Eenzaam, 65-plussers (%)",
    "ini.spreiding.y": "Initiatieven per 10.000 inwoners",
    "ini.spreiding.gekozen": "gekozen gemeente",
    "ini.spreiding.overig": "andere gemeenten",
    "ini.blind": "Blinde vlekken",
    "ini.blind_uitleg": (
        "Gemeenten waar meer 65-plussers zich eenzaam voelen dan landelijk ({nl}) en het register minder "
        "initiatieven per 10.000 inwoners telt dan landelijk ({dichtheid}). Gezien de dekking: een startpunt "
        "voor navraag, geen oordeel."
    ),
    "ini.ranking": "Toon de rangorde van alle gemeenten (initiatieven per 10.000 inwoners)",
    "ini.blind_aantal": "{n} gemeenten; de {getoond} met de meeste eenzaamheid staan hieronder, alle in de download.",
    "ini.blind_download": "Download alle blinde vlekken (CSV)",
    "ini.kol.gemeente": "Gemeente",
    "ini.kol.aantal": "Initiatieven",
    "ini.kol.per_10k": "Per 10.000 inwoners",
    "ini.kol.eenzaam": "Eenzaam 65+ (%)",
    "ini.kol.ernstig": "Ernstig eenzaam 65+ (%)",
    "ini.kol.vrijwilliger": "Vrijwilligerswerk 65+ (%)",
    "ini.kol.inwoners": "Inwoners",
    "ini.kol.rang": "Rang",
    "ini.register": "Het register",
    "ini.filter.gemeente": "Gemeente",
    "ini.filter.alle": "Alle gemeenten",
    "ini.filter.thema": "Thema",
    "ini.filter.zoek": "Zoek op naam",
    "ini.filter.alle_themas": "Alle thema's",
    "ini.kol.naam": "Naam",
    "ini.kol.thema": "Thema",
    "ini.kol.website": "Website",
    "ini.kol.start": "Startdatum",
    "ini.kol.bron": "Bron",
    "ini.kol.peildatum": "Peildatum",
    "ini.kol.toewijzing": "Gemeente bepaald via",
    "ini.toewijzing.punt": "punt op de kaart",
    "ini.toewijzing.naam": "plaatsnaam in de locatie",
    "ini.toewijzing.onbekend": "locatie onbekend",
    "ini.toewijzing.invoer": "invoer",
    "ini.export": "Download selectie (CSV)",
    "ini.nieuw": "Initiatief toevoegen",
    "ini.veld.naam": "Naam",
    "ini.veld.thema": "Thema",
    "ini.veld.gemeente": "Gemeente",
    "ini.veld.lat": "Breedtegraad (optioneel, bv. 52.3676)",
    "ini.veld.lon": "Lengtegraad (optioneel, bv. 4.9041)",
    "ini.veld.website": "Website (http:// of https://)",
    "ini.veld.start": "Startdatum",
    "ini.veld.bron": "Bron (wie meldt dit?)",
    "ini.veld.wachtwoord": "Wachtwoord voor redacteuren",
    "ini.opslaan": "Opslaan",
    "ini.opgeslagen": "Opgeslagen: {naam} in {gemeente}.",
    "ini.niet_opgeslagen": "Niet opgeslagen. Verbeter het volgende:",
    "ini.wachtwoord_fout": "Het wachtwoord klopt niet; er is niets opgeslagen.",
    "ini.csv": "Importeren uit CSV",
    "ini.csv_uitleg": (
        "Verplichte kolommen: naam, thema, gemeente_code en bron (wie meldt het). Niet verplicht: latitude, "
        "longitude, website, startdatum (01-04-2020 of 2020-04-01) en soort. Puntkomma of komma als scheidingsteken; "
        "een bestand uit Excel kan zo. Alle rijen worden eerst gecontroleerd; bij één fout wordt niets geïmporteerd."
    ),
    "ini.csv_sjabloon": "Download voorbeeld-CSV",
    "ini.csv_bestand": "CSV-bestand",
    "ini.csv_knop": "Controleren en importeren",
    "ini.register_leeg": "Geen initiatieven die aan deze keuze voldoen. Kies een andere gemeente, thema of zoekterm.",
    "ini.csv_ok": "{n} geïmporteerd.",
    "ini.csv_fout": "Niets geïmporteerd: {n} fout(en) in het bestand. Verbeter de rijen hieronder en probeer opnieuw.",
    "ini.csv.rij": "Rij",
    "ini.csv.veld": "Veld",
    "ini.csv.melding": "Melding",
    "ini.geen_gegevens": "Voor {gemeente} zijn geen cijfers over eenzaamheid beschikbaar.",
    # --- registry -----------------------------------------------------------------------------
    "reg.db_fout": (
        "Het register van initiatieven is niet bereikbaar ({detail}). Controleer de database-instelling "
        "GEMEENTEN_REGISTRY_URL of [connections.registry] in de secrets; de andere cijfers werken gewoon."
    ),
    "reg.fout.naam_leeg": "Vul een naam in (een naam van alleen onzichtbare tekens of stuurcodes telt niet).",
    "reg.db_schrijf_fout": "Het register kon dit nu niet opslaan (de database is bezet of niet bereikbaar: {detail}). "
                           "Er is niets opgeslagen; probeer het over een ogenblik opnieuw.",
    "reg.fout.naam_lang": "De naam is te lang (hoogstens {max} tekens).",
    "reg.fout.thema": "Onbekend thema '{thema}'. Kies uit: {opties}.",
    "reg.fout.gemeente": "Onbekende gemeentecode '{code}' (verwacht een code van de indeling 2023, zoals GM0363).",
    "reg.fout.coordinaat": "De coördinaten zijn geen geldige getallen (breedte −90 tot 90, lengte −180 tot 180).",
    "reg.fout.coordinaat_half": "Vul zowel de breedtegraad als de lengtegraad in, of geen van beide.",
    "reg.fout.buiten_nl": "Het punt ligt niet in Nederland.",
    "reg.fout.buiten_gemeente": "Het punt ligt niet in {gemeente} maar in {ligt}.",
    "reg.fout.url": "De website moet beginnen met http:// of https:// en een domeinnaam hebben.",
    "reg.fout.url_lang": "De website is te lang (hoogstens {max} tekens).",
    "reg.fout.toekomst": "De startdatum ligt in de toekomst.",
    "reg.fout.datum": "De startdatum is geen geldige datum (bijvoorbeeld 01-04-2020 of 2020-04-01).",
    "reg.fout.bron_leeg": "Vul de bron in (wie meldt dit initiatief?).",
    "reg.fout.bron_lang": "De bron is te lang (hoogstens {max} tekens).",
    "reg.fout.dubbel": "Er staat al een initiatief '{naam}' in {gemeente}.",
    "reg.fout.dubbel_tegelijk": "Een van de rijen is zojuist door iemand anders opgeslagen; er is niets geïmporteerd. "
                                "Probeer het opnieuw: de rijen die er al zijn, worden dan genoemd.",
    "reg.soort.hulpvraag": "Hulpvraag",
    "reg.soort.hulpaanbod": "Hulpaanbod",
    "reg.soort.initiatief": "Initiatief",
    "reg.seed.via": "{soort} via {platform}",
    "reg.fout.soort": "Onbekende soort '{soort}'; kies uit: {opties}.",
    "reg.fout.reden": "Geef een reden om dit initiatief te verbergen.",
    "reg.csv.dubbele_kolom": "De kolom '{kolom}' staat meer dan eens in het bestand (hoofdletters tellen niet); "
                             "laat er één over.",
    "reg.fout.onbekend_id": "Initiatief {id} bestaat niet.",
    "reg.csv.leeg": "Het CSV-bestand is leeg.",
    "reg.csv.te_groot": "Het CSV-bestand is te groot (hoogstens {max}).",
    "reg.csv.te_veel": "Het CSV-bestand heeft te veel rijen (hoogstens {max}).",
    "reg.csv.onleesbaar": "Het CSV-bestand is niet te lezen ({detail}).",
    "reg.csv.kolommen": "Kolom(men) {ontbreekt} ontbreken. Verplicht zijn: {verplicht}. Alle kolommen: {verwacht}.",
    "reg.csv.velden": "regel {regel} heeft {gezien} velden, de kopregel {verwacht}; staat er een scheidingsteken in een naam "
                      "zonder aanhalingstekens?",
    "reg.csv.geen_kolommen": "er staan geen kolommen in",
    "reg.csv.vorm": "het is geen CSV-bestand in de verwachte vorm",
    # --- vergelijken ---------------------------------------------------------------------------
    "vgl.titel": "Gemeenten vergelijken",
    "vgl.intro": "Zet 2 tot 6 gemeenten naast elkaar, met de kerncijfers van elk thema en de waarde van Nederland. "
                 "De keuze staat in de link: deel die met collega's of raadsleden.",
    "vgl.kies": "Gemeenten (2 tot 6)",
    "vgl.kies_hulp": "Typ om te zoeken. De gekozen gemeente uit de zijbalk staat er altijd bij.",
    "vgl.set": "Of neem een set",
    "vgl.set.vergelijkbaar": "Vergelijkbare gemeenten",
    "vgl.set.regio": "Arbeidsmarktregio",
    "vgl.set_hulp": "Vergelijkbaar: de gemeente en de 5 die qua inwonertal en adressendichtheid het meest lijken. "
                    "Arbeidsmarktregio: de gemeente en de grootste andere gemeenten van de regio.",
    "vgl.te_weinig": "Kies minstens 2 gemeenten om te vergelijken.",
    "vgl.te_veel": "Er kunnen hoogstens {max} gemeenten naast elkaar; de eerste {max} van de {n} zijn genomen.",
    "vgl.onbekend": "‘{code}’ in de link is geen gemeente van de indeling 2023 en is weggelaten.",
    "vgl.tabel": "Kerncijfers per thema",
    "vgl.grafieken": "Per cijfer",
    "vgl.kol.thema": "Thema",
    "vgl.kol.indicator": "Cijfer (periode)",
    "vgl.kol.gebied": "Gebied",
    "vgl.nederland": "Nederland",
    "vgl.download": "Download de vergelijking voor Excel (CSV)",
    "vgl.uitleg": "Donkerblauw: {naam}; lichtblauw: de andere gemeenten; grijs: Nederland. "
                  "‘geen gegevens’: het datapakket heeft dit cijfer niet voor die gemeente.",
    # --- gemeenterapport -----------------------------------------------------------------------
    "rapport.knop": "Download gemeenterapport",
    "rapport.knop_hulp": "Een rapport van één of twee A4-pagina's (HTML) over de vier thema's; print het of bewaar het als PDF.",
    "rapport.titel": "Gemeenterapport {naam}",
    "rapport.sub": "Provincie {provincie} · arbeidsmarktregio {amr} · {code} (gemeentelijke indeling 2023)",
    "rapport.gemaakt_kort": "Gemaakt op {datum} met Gemeenten in coronatijd.",
    "wl.qs.download_html": "Quickscan om te printen (HTML)",
    "wl.qs.download_html_hulp": "Een A4-document met dezelfde cijfers en bronnen; print het of bewaar het als PDF.",
    "rapport.gemaakt": "Gemaakt op {datum} met Gemeenten in coronatijd. Rang 1 = hoogste waarde van alle gemeenten.",
    "rapport.rang": "Rang",
    "rapport.geen_gegevens": "geen gegevens",
    "rapport.ontbreekt": "Voor een of meer cijfers heeft het datapakket geen gegevens over deze gemeente.",
    "rapport.advies": "Advies (april 2020):",
    "advies.titel": "Wat kunt u doen?",
    "rapport.thema.werkloosheid": "Werkloosheid",
    "rapport.thema.mkb": "Kwetsbaar mkb",
    "rapport.thema.initiatieven": "Initiatieven en eenzaamheid",
    "rapport.thema.co2": "Thuiswerken en woon-werk CO2",
    "rapport.advies.werkloosheid": (
        "Maak met de arbeidsmarktregio een quickscan van de regionale arbeidsmarkt, voor de korte en de lange "
        "termijn, en stem de inzet voor werkzoekenden daarop af."
    ),
    "rapport.advies.mkb": (
        "Breng in beeld welke lokale ondernemers het hardst geraakt worden: eerst horeca, cultuur en detailhandel, "
        "daarna bouw, industrie, handel en logistiek. Vergeet ondernemers met een maatschappelijke missie niet."
    ),
    "rapport.advies.initiatieven": (
        "Breng initiatieven van onderop in kaart, kijk wat ze lokaal toevoegen (bijvoorbeeld tegen eenzaamheid "
        "onder ouderen) en vorm er coalities mee."
    ),
    "rapport.advies.co2": (
        "Leg thuiswerken vast in de personeelsregels en in het duurzaamheidsbeleid: minder woon-werkkilometers "
        "verlagen de CO2-voetafdruk."
    ),
    "rapport.grafiek.werkloosheid": "Gemeente en Nederland",
    "rapport.grafiek.mkb": "Sectormix (% van de vestigingen)",
    "rapport.grafiek.initiatieven": "Gemeente en Nederland",
    "rapport.grafiek.co2": "Gemeente en Nederland",
    "rapport.voet": (
        "Bronnen staan bij elk thema; CBS-cijfers CC BY 4.0. De initiatieven komen uit het register van de app "
        "(startvulling: enkele platforms, vooral Amsterdam; geen volledige telling). CO2: standaardscenario van "
        "de pagina Woon-werk CO2."
    ),
    # --- sources -------------------------------------------------------------------------
    "bronnen.titel": "Bronnen",
    "bronnen.intro": "Alle cijfers in deze app komen uit het datapakket hieronder. Elke bron met uitgever, tabel, peildatum en licentie.",
    "bronnen.pakket": "**Datapakket:** stand van {stand}, gebouwd uit de ruwe bronnen door de pijplijn van deze app "
                      "(versie {versie}); {n} tabellen, {mb} MB. Bij het laden is elk bestand gecontroleerd: "
                      "controlesom, gemeentecodes (342, indeling 2023) en landelijke totalen gelijk aan de bronnen.",
    "bronnen.pakket_tabellen": "Tabellen in het datapakket",
    "bronnen.kol_tabel": "Tabel",
    "bronnen.kol_rijen": "Rijen",
    "bronnen.kol_bronnen": "Gemaakt uit",
    "bronnen.register_sqlite": "**Register van initiatieven:** een SQLite-bestand op deze server. Op Streamlit Community "
                               "Cloud gaat dat bij elke herstart verloren; zet daar een PostgreSQL-database in de "
                               "instellingen (zie README).",
    "bronnen.register_postgresql": "**Register van initiatieven:** een PostgreSQL-database (blijvend).",
    "bronnen.register_anders": "**Register van initiatieven:** een {soort}-database.",
    "bronnen.totalen": "Landelijke totalen, bron en pakket",
    "bronnen.kol_totaal": "Totaal",
    "bronnen.kol_in_bron": "In de bron",
    "bronnen.kol_in_pakket": "In het pakket",
    "footer.stand": "Gegevens: stand van {stand} (datapakket, indeling 2023). Bronnen en licenties: pagina Bronnen.",
    "bronnen.tabel": "CBS-tabel",
    "bronnen.uitgever": "Uitgever",
    "bronnen.bestand": "Bestand",
    "bronnen.gebruik": "Gebruikt voor",
    "bronnen.gaten": "Bekende beperkingen",
    "bronnen.kol_bron": "Bron",
    "bronnen.kol_peildatum": "Peildatum",
    "bronnen.kol_licentie": "Licentie",
    "bronnen.kol_id": "Indicator (id)",
    "bronnen.kol_omschrijving": "Omschrijving",
    "bronnen.kol_eenheid": "Eenheid",
    "bronnen.alleen_ververst": "(alleen na verversing bij het CBS)",
    "bronnen.export_titel": "Alle cijfers als één bestand",
    "bronnen.export_uitleg": "Alle indicatoren per gemeente (indeling 2023) in één tabel met bron per cijfer.",
    "bronnen.export_knop": "Download export (CSV)",
    "bronnen.indicatoren": "Indicatoren in de export",
    "bronnen.indeling_titel": "Omrekening naar de indeling 2023",
    "bronnen.indeling_uitleg": (
        "Cijfers op een oudere gemeentelijke indeling worden omgerekend naar de 342 gemeenten van 2023. "
        "Een gemeente die in 2023 nog bestaat, telt volledig voor zichzelf; een opgeheven gemeente telt "
        "volledig mee bij de gemeente met het grootste deel van haar oppervlak. Alleen een gemeente die "
        "over meerdere gemeenten is verdeeld (Haaren, 2021) wordt verdeeld naar waar de inwoners wonen: de "
        "banen van inwoners per woonwijk uit de woon-werkmatrix (ca. 2015), per dorp bij de gemeente waarin het "
        "nu ligt (Haaren → Oisterwijk, Helvoirt → Vught, Esch → Boxtel, Biezenmortel → Tilburg). Dat is een "
        "benadering; landelijke totalen blijven exact. Aantallen worden opgeteld; percentages en cijfers per 1.000 inwoners worden daarna "
        "opnieuw berekend."
    ),
    "bronnen.online": "Beheerders van deze app kunnen het datapakket verversen bij het CBS en opnieuw bouwen; de "
                      "README van de app beschrijft hoe.",
}

# Labels of the indicators, keyed by the export's indicator id.
INDICATOR_LABELS: dict[str, str] = {
    "inwoners": "Inwoners",
    "huishoudens": "Huishoudens",
    "ww_personen": "Personen met WW",
    "bijstand_personen": "Personen met bijstand",
    "ao_personen": "Personen met arbeidsongeschiktheidsuitkering",
    "aow_personen": "Personen met AOW",
    "vestigingen_totaal": "Bedrijfsvestigingen (excl. overheid, onderwijs, zorg)",
    "vestigingen_a": "Vestigingen landbouw, bosbouw en visserij (A)",
    "vestigingen_bf": "Vestigingen nijverheid, energie en bouw (B-F)",
    "vestigingen_gi": "Vestigingen handel en horeca (G+I)",
    "vestigingen_hj": "Vestigingen vervoer, informatie en communicatie (H+J)",
    "vestigingen_kl": "Vestigingen financiële diensten en onroerend goed (K-L)",
    "vestigingen_mn": "Vestigingen zakelijke dienstverlening (M-N)",
    "vestigingen_ru": "Vestigingen cultuur, recreatie en overige diensten (R-U)",
    "ww_per_1000": "WW per 1.000 inwoners",
    "bijstand_per_1000": "Bijstand per 1.000 inwoners",
    "ao_per_1000": "AO-uitkering per 1.000 inwoners",
    "vestigingen_per_1000": "Vestigingen per 1.000 inwoners",
    "initiatieven_aantal": "Initiatieven in het register",
    "initiatieven_per_10k": "Initiatieven per 10.000 inwoners",
    "eenzaam_65plus_pct": "Eenzaam, 65-plussers (%)",
    "ernstig_eenzaam_65plus_pct": "Ernstig eenzaam, 65-plussers (%)",
    "vrijwilligerswerk_65plus_pct": "Vrijwilligerswerk, 65-plussers (%)",
    "werknemersbanen": "Banen van werknemers (woongemeente)",
    "woonwerk_afstand_km": "Gemiddelde woon-werkafstand (km, enkele reis)",
    "woonwerk_km_per_werkdag": "Woon-werkkilometers per werkdag (heen en terug)",
    "co2_besparing_ton_per_jaar": "CO2-besparing thuiswerken (ton per jaar, standaardscenario)",
    "co2_kg_per_inwoner": "CO2-besparing per inwoner (kg per jaar)",
    "mkb_blootstelling_eerste_golf": "MKB-blootstelling eerste golf (% vestigingen)",
    "mkb_blootstelling_tweede_golf": "MKB-blootstelling tweede golf (% vestigingen)",
}

UNIT_LABELS: dict[str, str] = {
    "personen": "personen",
    "huishoudens": "huishoudens",
    "vestigingen": "vestigingen",
    "per 1000 inwoners": "per 1.000 inwoners",
    "procent": "%",
}



_KWB_GAP = (
    "Uitkeringen per gemeente alleen voor KWB 2019 en 2020, beide van vóór de coronaschok. "
    "De maandreeks per gemeente (80794ned) komt alleen via een live verversing bij het CBS."
)

# What the app uses each dataset for, keyed by dataset id (shown on the sources page).
DATASET_USE: dict[str, str] = {
    "kwb2019": "Inwoners, huishoudens, personen met WW, bijstand en AO-uitkering (indeling 2019/2020).",
    "kwb2020": "Inwoners, huishoudens, personen met WW, bijstand, AO- en AOW-uitkering (indeling 2020).",
    "vestigingen2020": "Bedrijfsvestigingen per KWB-sectorgroep (A; B-F; G+I; H+J; K-L; M-N; R-U).",
    "kwb2021": "Inwoners en uitkeringen per gemeente (alleen na verversing bij het CBS).",
    "kwb2022": "Inwoners en uitkeringen per gemeente (alleen na verversing bij het CBS).",
    "uitkeringen_maand": "Maandreeks WW en bijstand per gemeente (alleen na verversing bij het CBS).",
    "vestigingen_sbi": "Vestigingen per SBI-sectie, horeca (I) apart (alleen na verversing bij het CBS).",
    "register": "Het register van initiatieven op de pagina Initiatieven (startvulling plus eigen invoer).",
    "kwb2020_kenmerken": "Omgevingsadressendichtheid en stedelijkheid (vergelijkbare gemeenten).",
    "ww_nationaal": "Landelijke WW-trend rond de coronaschok.",
    "bijstand_kwartaal": "Landelijke bijstandstrend per kwartaal.",
    "sector_nationaal": "Standaardgewichten van de schokscenario's (omzetdaling per sector).",
    "gezondheidsmonitor": "Eenzaamheid en vrijwilligerswerk onder 65-plussers.",
    "helpradar": "Startvulling van het register van initiatieven.",
    "coronapioniers": "Startvulling van het register van initiatieven.",
    "woonwerk_matrix": "Woon-werkafstanden per woongemeente.",
    "woonwerk_nationaal": "IJking van de omwegfactor op de landelijke gemiddelde woon-werkafstand.",
    "co2_besparing": "De CO2-besparing per gemeente en landelijk (standaardscenario) en de rekenhulp.",
    "emissiefactoren": "kg CO2 per voertuig- of reizigerskilometer.",
    "grenzen_gemeente_2023": "Kaarten en de omrekening van oudere indelingen naar 2023.",
    "grenzen_regio": "Kaartniveaus en de indeling van gemeenten in regio's.",
}

# Known gaps and limits of each dataset, keyed by dataset id.
DATASET_GAPS: dict[str, str] = {
    "kwb2019": "Vroege publicatie (maart 2020): AOW en bedrijfsvestigingen zijn leeg. " + _KWB_GAP,
    "kwb2020": _KWB_GAP,
    "vestigingen2020": "Handel (G) en horeca (I) zijn samen één groep; horeca apart per gemeente vraagt een live "
             "verversing van 81575NED. Overheid, onderwijs en zorg (O-Q) ontbreken. Afgerond op 5.",
    "ww_nationaal": "Telt uitkeringen, niet personen: niet te mengen met de KWB-cijfers (personen). "
             "Geen volledige maandreeks.",
    "gezondheidsmonitor": "Modelschattingen (RIVM); percentages van de leeftijdsgroep.",
    "helpradar": "Dekking volgt de gescrapete platforms (vooral Amsterdam); geen volledige telling. "
             "Omschrijvingen worden nooit getoond (sommige bevatten telefoonnummers).",
    "coronapioniers": "200 van 205 berichten; geen volledige telling.",
    "woonwerk_matrix": "Hemelsbrede afstand tussen wijkmiddelpunten; omgerekend naar wegafstand met één omwegfactor. "
             "De kolomnamen van het bronbestand zijn verwisseld ('werk' is de woonwijk). De woonwijken van Bussum, "
             "Naarden, Muiden, Zeevang en Groesbeek ontbreken: geen cijfers voor Gooise Meren, Edam-Volendam en "
             "Berg en Dal.",
    "co2_besparing": "Een scenario, geen meting: de aannames (thuiswerkbare banen, dagen, werkweken) staan op de pagina.",
    "emissiefactoren": "Waarden van 2026; die van 2020 wijken af.",
    "register": "De startvulling dekt alleen de gescrapete platforms (vooral Amsterdam) en is geen telling van alle initiatieven.",
    "grenzen_gemeente_2023": "Vereenvoudigde grenzen: geschikt voor landelijke kaarten, niet voor inzoomen.",
    "grenzen_regio": "De regio-indeling per gemeente is afgeleid uit overlap van vlakken, geen officiële CBS-tabel.",
}


def t(key: str, **values) -> str:
    """The Dutch text for ``key``, with ``{placeholders}`` filled in."""
    text = TEXT[key]
    return text.format(**values) if values else text


def indicator_label(indicator_id: str) -> str:
    return INDICATOR_LABELS.get(indicator_id, indicator_id)


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def fmt_number(value, decimals: int = 0) -> str:
    """Dutch number: ``1234.5`` → ``1.234,5``, ``-0.2`` → ``−0,2``; missing → ``geen gegevens``."""
    if _is_missing(value):
        return MISSING
    v = float(value)
    text = f"{abs(v):,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    # one minus sign everywhere (U+2212, as fmt_signed), and no "−0,0" for a value that rounds to zero
    return "\u2212" + text if v < 0 and any(c in "123456789" for c in text) else text


def fmt_pct(value, decimals: int = 1) -> str:
    """Dutch percentage of a value already in percent: ``12.3`` → ``12,3 %``."""
    if _is_missing(value):
        return MISSING
    return f"{fmt_number(value, decimals)} %"


def fmt_signed(value, decimals: int = 1, suffix: str = "") -> str:
    """A change with its sign: ``+1,2`` / ``−3,4`` (minus sign, not a hyphen)."""
    if _is_missing(value):
        return MISSING
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{fmt_number(abs(value), decimals)}{suffix}"


def decimals_for(unit: str) -> int:
    """Decimals shown for a unit: one for rates and percentages, none for counts."""
    return 1 if unit == "procent" or unit.startswith("per ") else 0


def fmt_value(value, unit: str) -> str:
    """Format a figure by its catalog unit; the unit itself is in the label (except %)."""
    if unit == "procent":
        return fmt_pct(value)
    return fmt_number(value, decimals_for(unit))


#: Units written after the number (the others are in the label: "WW per 1.000 inwoners").
_UNIT_SUFFIX = {"km": "km", "ton CO2": "ton"}


def fmt_indicator(value, indicator: str) -> str:
    """A figure of a catalog indicator with the decimals the catalog declares (e.g. two for
    initiatives per 10,000), ``%`` for percentages and ``km``/``ton`` after distances and tonnes."""
    from lib.catalog import INDICATORS
    ind = INDICATORS.get(indicator)
    if ind is None:
        return fmt_number(value, 1)
    decimals = ind.decimals if ind.decimals is not None else decimals_for(ind.unit)
    if ind.unit == "procent":
        return fmt_pct(value, decimals)
    text = fmt_number(value, decimals)
    suffix = _UNIT_SUFFIX.get(ind.unit)
    return f"{text} {suffix}" if suffix and text != MISSING else text


_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"]


def fmt_date(d: date) -> str:
    """``date(2020, 1, 1)`` → ``1 januari 2020``."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


class NumberError(ValueError):
    """Text that is not a Dutch number (or is ambiguous); the message is Dutch."""


_NL_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.500 / 12.345,6
_NL_PLAIN = re.compile(r"^-?\d+(,\d+)?$")  # 12 / 12,5


def parse_number(text, field: str = "") -> float:
    """A number typed the Dutch way: decimal comma, dots between thousands.

    ``12,5`` → 12.5, ``1.500`` → 1500, ``1.500,5`` → 1500.5. A dot that is not a thousands
    separator (``12.5``: 12,5 or 125?) is refused as ambiguous rather than guessed; so are text
    and empty fields. A trailing ``%`` is allowed.
    """
    raw = str(text if text is not None else "")
    s = raw.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").removesuffix("%")
    if not s:
        raise NumberError(t("invoer.leeg", veld=field))
    if _NL_THOUSANDS.match(s):
        return float(s.replace(".", "").replace(",", "."))
    if _NL_PLAIN.match(s):
        return float(s.replace(",", "."))
    if re.fullmatch(r"-?\d*\.\d+", s):
        raise NumberError(t("invoer.punt", veld=field, tekst=raw.strip()[:20], komma=s.replace(".", ",")))
    raise NumberError(t("invoer.geen_getal", veld=field, tekst=raw.strip()[:20]))


def fmt_input(value: float, decimals: int) -> str:
    """A value as it is pre-filled in a text field: Dutch, without trailing zeros beyond ``decimals``."""
    text = fmt_number(value, decimals)
    return text.rstrip("0").rstrip(",") if "," in text else text


def fmt_rank(rank: int | None, total: int, ties: int = 0) -> str:
    """``rang 2 van 342``; with ties ``rang 135 van 342 (gedeeld met 207 andere)``."""
    if rank is None or _is_missing(rank):
        return MISSING
    if ties:
        return t("rang.gedeeld", rang=int(rank), totaal=total, n=ties)
    return t("rang", rang=int(rank), totaal=total)


def fmt_small(small: tuple[float, float] | None, count_indicator: str) -> str:
    """The small-count caveat, or "" when the figure does not rest on a small count."""
    if small is None:
        return ""
    one = small[0] == 1
    what = {"ww_personen": ("persoon met WW", "personen met WW"),
            "bijstand_personen": ("persoon met bijstand", "personen met bijstand"),
            "ao_personen": ("persoon met een AO-uitkering", "personen met een AO-uitkering"),
            "vestigingen_totaal": ("vestiging", "vestigingen"),
            "initiatieven_aantal": ("initiatief", "initiatieven")}.get(count_indicator, ("", ""))[0 if one else 1]
    return t("klein_aantal", aantal=fmt_number(small[0]), wat=what, drempel=fmt_number(small[1]))


def fmt_count(value, singular: str, plural: str, decimals: int = 1) -> str:
    """``1 dag``, ``2 dagen``, ``2,5 dagen``: whole numbers without decimals, the noun agreeing."""
    if _is_missing(value):
        return MISSING
    v = float(value)
    number = fmt_number(v, 0) if v == round(v) else fmt_number(v, decimals)
    return f"{number} {singular if v == 1 else plural}"
