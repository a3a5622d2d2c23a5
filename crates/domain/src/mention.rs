//! Mentions (`@张伟`, `@wei.zhang@example.com`) in an activity's text: whom they name among the
//! organization's users. Chinese text has no spaces, so `@张伟请跟进` names 张伟: at each `@`,
//! the longest user name or e-mail address the text continues with.

use uuid::Uuid;

/// A user who may be mentioned: id, display name, e-mail.
pub struct Mentionable<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub email: &'a str,
}

/// The users `text` mentions, each once, in order of first mention.
pub fn mentioned(text: &str, users: &[Mentionable<'_>]) -> Vec<Uuid> {
    let mut found = Vec::new();
    for (i, _) in text.match_indices('@') {
        // An `@` inside a word is an address's, not a mention (`a@b.com`).
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        let rest = text[i + 1..].to_lowercase();
        let best = users
            .iter()
            .flat_map(|u| [(u.id, u.name), (u.id, u.email)])
            .filter(|(_, key)| !key.is_empty() && rest.starts_with(&key.to_lowercase()))
            .max_by_key(|(_, key)| key.chars().count());
        if let Some((id, _)) = best {
            if !found.contains(&id) {
                found.push(id);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_the_longest_names_after_each_at() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let users = [
            Mentionable {
                id: a,
                name: "张伟",
                email: "wei@example.com",
            },
            Mentionable {
                id: b,
                name: "张伟明",
                email: "weiming@example.com",
            },
            Mentionable {
                id: c,
                name: "Li Na",
                email: "li.na@example.com",
            },
        ];
        assert_eq!(mentioned("@张伟请跟进", &users), vec![a]);
        assert_eq!(
            mentioned("@张伟明 和 @张伟，还有 @li na", &users),
            vec![b, a, c]
        );
        assert_eq!(mentioned("抄送 @WEI@example.com", &users), vec![a]);
        assert_eq!(
            mentioned("写信到 sales@张伟.com", &users),
            Vec::<Uuid>::new()
        );
        assert_eq!(mentioned("@张伟 @张伟", &users), vec![a]);
        assert!(mentioned("没有提到谁 @", &users).is_empty());
    }
}
