//! Pinyin forms of Chinese names, so that `zhangwei` and `zw` find 张伟 and `szfz` finds
//! 深圳市丰泽日用品有限公司, as users of Chinese CRMs expect. The forms are extra lines of a
//! record's search text, so the same bigram index answers them.
//!
//! Readings: each character takes its most common one (the `pinyin` crate's first, from
//! pinyin-data's kMandarin), except in the short lists below, where the common reading is wrong:
//! polyphonic surnames at the start of a person's name (曾 zeng, 单 shan, 解 xie …) and words
//! of place and company names (重庆 chongqing, 厦门 xiamen, 银行 yinhang …). Tones are left
//! out and ü is written `v`, as pinyin keyboards type it (吕 `lv`). Latin letters and digits stay
//! as they are; spaces separate words; punctuation is dropped.

use crate::normalize;
use pinyin::ToPinyin;

/// Which rules a name's forms follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A contact's or a lead's name: its first characters are the surname.
    Person,
    /// An account, a lead's company, a deal: a leading place's level (深圳市) is also left out.
    Organization,
}

/// Surnames whose reading is not their characters' common one; the compound ones first.
const SURNAMES: &[(&str, &[&str])] = &[
    ("尉迟", &["yu", "chi"]),
    ("万俟", &["mo", "qi"]),
    ("单于", &["chan", "yu"]),
    ("澹台", &["tan", "tai"]),
    ("曾", &["zeng"]),
    ("单", &["shan"]),
    ("解", &["xie"]),
    ("仇", &["qiu"]),
    ("朴", &["piao"]),
    ("区", &["ou"]),
    ("查", &["zha"]),
    ("乐", &["yue"]),
    ("覃", &["qin"]),
    ("缪", &["miao"]),
    ("翟", &["zhai"]),
    ("盖", &["ge"]),
    ("召", &["shao"]),
    ("繁", &["po"]),
    ("员", &["yun"]),
    ("折", &["she"]),
    ("种", &["chong"]),
    ("秘", &["bi"]),
    ("重", &["chong"]),
    ("隗", &["wei"]),
];

/// Words of place and company names in which a character does not take its common reading.
const WORDS: &[(&str, &[&str])] = &[
    ("重庆", &["chong", "qing"]),
    ("厦门", &["xia", "men"]),
    ("成都", &["cheng", "du"]),
    ("首都", &["shou", "du"]),
    ("都市", &["du", "shi"]),
    ("都江", &["du", "jiang"]),
    ("长沙", &["chang", "sha"]),
    ("长春", &["chang", "chun"]),
    ("长安", &["chang", "an"]),
    ("长城", &["chang", "cheng"]),
    ("长江", &["chang", "jiang"]),
    ("长治", &["chang", "zhi"]),
    ("长宁", &["chang", "ning"]),
    ("长兴", &["chang", "xing"]),
    ("长虹", &["chang", "hong"]),
    ("长征", &["chang", "zheng"]),
    ("长白", &["chang", "bai"]),
    ("蚌埠", &["beng", "bu"]),
    ("六安", &["lu", "an"]),
    ("乐清", &["yue", "qing"]),
    ("番禺", &["pan", "yu"]),
    ("西藏", &["xi", "zang"]),
    ("银行", &["yin", "hang"]),
    ("分行", &["fen", "hang"]),
    ("支行", &["zhi", "hang"]),
    ("总行", &["zong", "hang"]),
    ("商行", &["shang", "hang"]),
    ("车行", &["che", "hang"]),
    ("行业", &["hang", "ye"]),
    ("会计", &["kuai", "ji"]),
    ("音乐", &["yin", "yue"]),
    ("乐器", &["yue", "qi"]),
    ("调味", &["tiao", "wei"]),
    ("空调", &["kong", "tiao"]),
];

/// The levels a place name ends in, from the top (广东省, 深圳市, 南山区 or 宝安县).
const PLACE_LEVELS: &[&[char]] = &[&['省'], &['市'], &['区', '县']];

/// Legal suffixes an organization's short form leaves out (as [`normalize::company_key`] does).
const LEGAL_SUFFIXES: &[&str] = &["股份有限公司", "有限责任公司", "有限公司", "公司"];

/// One unit of a name: a character's syllable, a kept Latin letter or digit, or a space.
#[derive(Debug, PartialEq)]
enum Piece {
    Syllable(String),
    Kept(char),
    Space,
}

/// The lines `name` adds to a search text: its full pinyin and its initials (`zhangwei`, `zw`),
/// and for an organization whose name starts with a place, both again without the place's level
/// and the legal suffix (`shenzhenfengzeriyongpin`, `szfzryp`), as people say 深圳丰泽. Empty when
/// the name has no Chinese character; forms shorter than two letters are left out (a one-letter
/// query is no search).
pub fn forms(name: &str, kind: NameKind) -> Vec<String> {
    let folded = normalize::fold(name);
    let short = match kind {
        NameKind::Organization => short_name(&folded),
        NameKind::Person => None,
    };
    let mut out: Vec<String> = Vec::new();
    for text in std::iter::once(folded).chain(short) {
        let pieces = pieces(&text, kind);
        if !pieces.iter().any(|p| matches!(p, Piece::Syllable(_))) {
            continue;
        }
        for form in [full(&pieces), initials(&pieces)] {
            if form.chars().count() >= 2 && !out.contains(&form) {
                out.push(form);
            }
        }
    }
    out
}

/// A folded name without the levels of its leading places and without its legal suffix
/// (广东省深圳市丰泽日用品有限公司 → 广东深圳丰泽日用品); `None` when it does not start with a
/// place. A place is two to four Chinese characters and its level, each place a level below the
/// one before (so 北京市百川东方市政 keeps the 市 of 市政).
fn short_name(folded: &str) -> Option<String> {
    let mut chars: Vec<char> = folded.chars().collect();
    let (mut start, mut below, mut cut) = (0, 0, false);
    'places: loop {
        for len in 2..=4 {
            let Some(&c) = chars.get(start + len) else {
                break 'places;
            };
            if !chars[start..start + len].iter().copied().all(is_han) {
                break 'places;
            }
            if let Some(level) = PLACE_LEVELS[below..].iter().position(|l| l.contains(&c)) {
                chars.remove(start + len);
                start += len;
                below += level + 1;
                cut = true;
                continue 'places;
            }
        }
        break;
    }
    if !cut {
        return None;
    }
    let mut short: String = chars.into_iter().collect();
    while let Some(rest) = LEGAL_SUFFIXES
        .iter()
        .find_map(|s| short.strip_suffix(s).filter(|r| !r.is_empty()))
    {
        short = rest.to_string();
    }
    Some(short)
}

fn is_han(c: char) -> bool {
    c.to_pinyin().is_some()
}

/// The name as syllables and kept characters: a surname or a listed word where it applies, else
/// each character's common reading.
fn pieces(text: &str, kind: NameKind) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = text;
    if kind == NameKind::Person {
        if let Some((surname, syllables)) = SURNAMES.iter().find(|(s, _)| text.starts_with(s)) {
            out.extend(syllables.iter().map(|s| Piece::Syllable(s.to_string())));
            rest = &text[surname.len()..];
        }
    }
    while let Some(c) = rest.chars().next() {
        if let Some((word, syllables)) = WORDS.iter().find(|(w, _)| rest.starts_with(w)) {
            out.extend(syllables.iter().map(|s| Piece::Syllable(s.to_string())));
            rest = &rest[word.len()..];
            continue;
        }
        if let Some(p) = c.to_pinyin() {
            out.push(Piece::Syllable(p.plain().replace('ü', "v")));
        } else if c.is_alphanumeric() {
            out.push(Piece::Kept(c));
        } else if c.is_whitespace() {
            out.push(Piece::Space);
        }
        rest = &rest[c.len_utf8()..];
    }
    // Chinese does not separate words by spaces: 王 芳 is `wangfang`, but IBM 中国 `ibm zhongguo`.
    let syllable = |p: Option<&Piece>| matches!(p, Some(Piece::Syllable(_)));
    let between_syllables: Vec<bool> = (0..out.len())
        .map(|i| {
            out[i] == Piece::Space
                && syllable(out[..i].iter().rev().find(|p| **p != Piece::Space))
                && syllable(out[i + 1..].iter().find(|p| **p != Piece::Space))
        })
        .collect();
    out.into_iter()
        .zip(between_syllables)
        .filter_map(|(p, drop)| (!drop).then_some(p))
        .collect()
}

fn full(pieces: &[Piece]) -> String {
    collapse(pieces.iter().map(|p| match p {
        Piece::Syllable(s) => s.clone(),
        Piece::Kept(c) => c.to_string(),
        Piece::Space => " ".into(),
    }))
}

fn initials(pieces: &[Piece]) -> String {
    collapse(pieces.iter().map(|p| match p {
        Piece::Syllable(s) => s.chars().take(1).collect(),
        Piece::Kept(c) => c.to_string(),
        Piece::Space => " ".into(),
    }))
}

/// Joined, with runs of spaces made one and none at the ends.
fn collapse(parts: impl Iterator<Item = String>) -> String {
    parts
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str) -> Vec<String> {
        forms(name, NameKind::Person)
    }

    fn organization(name: &str) -> Vec<String> {
        forms(name, NameKind::Organization)
    }

    #[test]
    fn a_person_has_full_pinyin_and_initials() {
        assert_eq!(person("张伟"), ["zhangwei", "zw"]);
        assert_eq!(
            person(" 王 芳 "),
            ["wangfang", "wf"],
            "no space between syllables"
        );
        assert_eq!(person("欧阳娜娜"), ["ouyangnana", "oynn"]);
        assert_eq!(
            person("吕"),
            ["lv"],
            "ü is v; a one-letter initial is left out"
        );
    }

    #[test]
    fn polyphonic_surnames_take_their_surname_reading() {
        assert_eq!(person("曾伟"), ["zengwei", "zw"]);
        assert_eq!(person("单雄信"), ["shanxiongxin", "sxx"]);
        assert_eq!(person("解晓东"), ["xiexiaodong", "xxd"]);
        assert_eq!(person("尉迟恭"), ["yuchigong", "ycg"]);
        // Elsewhere the common reading: 曾经 is not a surname.
        assert_eq!(organization("曾经"), ["cengjing", "cj"]);
    }

    #[test]
    fn an_organization_is_also_found_without_its_place_level_and_legal_suffix() {
        assert_eq!(
            organization("深圳市丰泽日用品有限公司"),
            [
                "shenzhenshifengzeriyongpinyouxiangongsi",
                "szsfzrypyxgs",
                "shenzhenfengzeriyongpin",
                "szfzryp",
            ]
        );
        assert_eq!(
            organization("广东省深圳市丰泽")[2..],
            ["guangdongshenzhenfengze", "gdszfz"]
        );
        assert_eq!(
            organization("乌鲁木齐市天山化工")[3],
            "wlmqtshg",
            "a four-character place"
        );
        // A name that does not start with a place keeps 市 (超市 is a word).
        assert_eq!(
            organization("华润万家超市"),
            ["huarunwanjiachaoshi", "hrwjcs"]
        );
        // A person's name is not cut.
        assert_eq!(person("张市"), ["zhangshi", "zs"]);
    }

    #[test]
    fn place_and_company_words_take_their_reading_there() {
        assert_eq!(
            organization("重庆长安汽车")[..2],
            ["chongqingchanganqiche", "cqcaqc"]
        );
        assert_eq!(organization("厦门银行")[1], "xmyh");
        assert_eq!(organization("成都")[0], "chengdu");
        assert_eq!(
            organization("董事长")[0],
            "dongshizhang",
            "长 elsewhere reads zhang"
        );
    }

    #[test]
    fn latin_digits_and_spaces_stay_punctuation_goes() {
        assert_eq!(organization("IBM 中国"), ["ibm zhongguo", "ibm zg"]);
        assert_eq!(organization("3M（中国）"), ["3mzhongguo", "3mzg"]);
        assert!(organization("Acme Trading (Shanghai) Co., Ltd.").is_empty());
        assert!(person("John Smith").is_empty());
        assert!(person("").is_empty());
    }
}
