#!/usr/bin/env python3
"""Writes a synthetic export from the old payment card system, in exactly the
format of shared/fixtures/legacy-export (see its README): semicolon-separated,
UTF-8 with a byte-order mark, CRLF line ends, amounts with a decimal comma,
dates as dd-mm-yyyy, 16-digit card numbers with a Luhn check digit, and a
kontrolsummer.txt that agrees with the files. Standard library only.

    python3 bench/gen_legacy_export.py OUT_DIR [--children 20000] [--seed 7]
"""

import argparse
import os
import random

FIRST = ["Ida", "Noah", "Emma", "Oscar", "Freja", "William", "Alma", "Carl", "Clara", "Malthe", "Ella",
         "Valdemar", "Agnes", "Aksel", "Karla", "Alfred", "Sofia", "Elias", "Olivia", "Lucas", "Søren",
         "Åse", "Æbel", "Øjvind", "Mette", "Jesper", "Louise", "Anders"]
LAST = ["Petersen", "Aagaard", "Jensen", "Nielsen", "Hansen", "Olsen", "Thomsen", "Larsen", "Møller",
        "Østergaard", "Ærø", "Christensen", "Pedersen", "Sørensen"]
INSTITUTIONS = [
    ("S01", "Absalons Skole", "school"), ("S02", "Dalum Skole", "school"), ("S03", "Hedegårdsskolen", "school"),
    ("S04", "Himmelev Skole", "school"), ("S05", "Lindebjergskolen", "school"), ("S06", "Trekronerskolen", "school"),
    ("S07", "Vindinge Skole", "school"), ("S08", "Østervangsskolen", "school"), ("K01", "Klub Absalon", "club"),
    ("K02", "Klub Trekroner", "club"), ("K03", "Klub Himmelev", "club"), ("U01", "Roskilde Ungdomsskole", "youth_school"),
]
SCHOOLS = [i[0] for i in INSTITUTIONS if i[2] == "school"]
CLUBS = [i[0] for i in INSTITUTIONS if i[2] == "club"]


def luhn_digit(payload):
    total = 0
    for i, d in enumerate(reversed(payload)):
        d = int(d)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def kroner(ore):
    return f"{ore // 100},{ore % 100:02d}"


def date(rng, first_year, last_year):
    return f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(first_year, last_year)}"


def write(out, name, header, rows):
    with open(os.path.join(out, name), "w", encoding="utf-8-sig", newline="") as f:
        f.write(";".join(header) + "\r\n")
        for row in rows:
            f.write(";".join(row) + "\r\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--children", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    children, adults, relations, cards, accounts, agreements = [], [], [], [], [], []
    used_numbers, used_chips = set(), set()

    def card_number():
        while True:
            payload = "9208" + "".join(rng.choice("0123456789") for _ in range(11))
            number = payload + luhn_digit(payload)
            if number not in used_numbers:
                used_numbers.add(number)
                return number

    def chip():
        while True:
            uid = "%08X" % rng.getrandbits(32)
            if uid not in used_chips:
                used_chips.add(uid)
                return uid

    family_adults = []
    child_no = 0
    while child_no < args.children:
        # A family: one or two custodians, one to three children.
        last = rng.choice(LAST)
        parents = []
        for _ in range(rng.choice([1, 2, 2, 2])):
            no = f"F{len(adults) + 1:06d}"
            first = rng.choice(FIRST)
            email = f"{first.lower().replace('ø', 'oe').replace('å', 'aa').replace('æ', 'ae')}.{len(adults) + 1}@example.dk"
            adults.append([no, first, last, email, f"+45 {rng.randint(20000000, 99999999)}"])
            parents.append(no)
        family_adults.append(parents)
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            if child_no >= args.children:
                break
            child_no += 1
            no = f"B{child_no:06d}"
            if rng.random() < 0.05:
                institution, club = rng.choice(CLUBS), ""
            else:
                institution, club = rng.choice(SCHOOLS), (rng.choice(CLUBS) if rng.random() < 0.3 else "")
            children.append([no, rng.choice(FIRST), last, date(rng, 2008, 2019), institution, club])
            for parent in parents:
                relations.append([no, parent, "Forældremyndighed"])
            for _ in range(rng.choice([0] * 10 + [1, 1])):
                cards.append([card_number(), "", no, "Spærret", date(rng, 2015, 2022)])
            cards.append([card_number(), chip(), no, "Aktiv", date(rng, 2019, 2025)])
            balance = 0 if rng.random() < 0.35 else rng.randint(1, 120000)
            limit = rng.choice(["", "", "", "30,00", "40,00", "50,00", "75,00", "100,00"])
            accounts.append([no, kroner(balance), limit])
            if rng.random() < 0.3:
                threshold = rng.choice([2000, 5000, 10000])
                amount = rng.choice([10000, 20000, 30000, 50000])
                agreements.append([no, rng.choice(parents), kroner(threshold), kroner(amount),
                                   "tok_%016x" % rng.getrandbits(64), "Aktiv" if rng.random() < 0.9 else "Pauset"])

    write(args.out, "institutioner.csv", ["InstitutionsNr", "Navn", "Type"], [list(i) for i in INSTITUTIONS])
    write(args.out, "boern.csv", ["BarnNr", "Fornavn", "Efternavn", "Fødselsdato", "Institution", "Klub"], children)
    write(args.out, "voksne.csv", ["VoksenNr", "Fornavn", "Efternavn", "Email", "Telefon"], adults)
    write(args.out, "relationer.csv", ["BarnNr", "VoksenNr", "Relation"], relations)
    write(args.out, "kort.csv", ["Kortnummer", "ChipUID", "BarnNr", "Status", "Udstedt"], cards)
    write(args.out, "konti.csv", ["BarnNr", "Saldo", "DagligtLoft"], accounts)
    write(args.out, "optankningsaftaler.csv",
          ["BarnNr", "VoksenNr", "Grænse", "Beløb", "BetalingsToken", "Status"], agreements)
    total = sum(int(a[1].replace(",", "")) for a in accounts)
    with open(os.path.join(args.out, "kontrolsummer.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(f"Antal børn: {len(children)}\r\nAntal konti: {len(accounts)}\r\nAntal kort: {len(cards)}\r\n"
                f"Antal aftaler: {len(agreements)}\r\nSamlet saldo: {kroner(total)}\r\n")
    print(f"{args.out}: {len(children)} children, {len(adults)} adults, {len(cards)} cards, "
          f"{len(agreements)} agreements, {kroner(total)} kr. in all")


if __name__ == "__main__":
    main()
