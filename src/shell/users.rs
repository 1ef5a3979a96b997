//! Account commands (`useradd`, `adduser`, `groupadd`, `addgroup`): which user or group a RUN
//! creates, for the rules and the converter.
//!
//! Both the shadow-utils programs and their Debian and BusyBox front ends are read; a second
//! name (`adduser app staff`, `addgroup app staff`) adds an existing user to a group, which
//! creates nothing.

use super::packages::read_args;
use super::{Command, ShellWord};

/// What an account command creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    User,
    Group,
}

/// A user or group a command creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub kind: AccountKind,
    /// The name as given; its `value` is `None` when it depends on a variable.
    pub name: ShellWord,
    /// Created as a system account (`--system`, `-r`, BusyBox `-S`).
    pub system: bool,
}

/// The programs that create accounts.
const PROGRAMS: &[&str] = &["useradd", "adduser", "groupadd", "addgroup"];

/// Options of those programs that take a value.
#[rustfmt::skip]
const VALUES: &[&str] = &[
    // useradd, groupadd
    "-b", "--base-dir", "-c", "--comment", "-d", "--home-dir", "-e", "--expiredate", "-f",
    "--inactive", "-g", "--gid", "-G", "--groups", "-k", "--skel", "-K", "--key", "-p",
    "--password", "-R", "--root", "-P", "--prefix", "-s", "--shell", "-u", "--uid", "-Z",
    "--selinux-user", "--users",
    // Debian adduser, addgroup
    "--home", "--ingroup", "--gecos", "--firstuid", "--lastuid", "--firstgid", "--lastgid",
    "--conf",
    // BusyBox adduser: `-h DIR`
    "-h",
];

/// Whether the command is one of the account programs.
pub fn manages_accounts(cmd: &Command) -> bool {
    cmd.name().is_some_and(|n| PROGRAMS.contains(&n))
}

/// The user or group a command creates, or `None` when it creates none.
pub fn account(cmd: &Command) -> Option<Account> {
    let program = cmd.name()?;
    if !PROGRAMS.contains(&program) {
        return None;
    }
    let argv = cmd.argv();
    let (options, names) = read_args(&argv[1..], |name, _| VALUES.contains(&name));
    let has = |o: &str| options.iter().any(|x| x.name == o);
    let [name] = names.as_slice() else {
        return None;
    };
    let kind = match program {
        "groupadd" | "addgroup" => AccountKind::Group,
        // `adduser --group NAME` (Debian) creates a group.
        _ if has("--group") && !has("--system") => AccountKind::Group,
        _ => AccountKind::User,
    };
    Some(Account {
        kind,
        name: name.clone(),
        system: has("--system") || has("-r") || has("-S"),
    })
}

/// Whether the command creates the user `name`.
pub fn creates_user(cmd: &Command, name: &str) -> bool {
    account(cmd)
        .is_some_and(|a| a.kind == AccountKind::User && a.name.value.as_deref() == Some(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::script_of;
    use crate::syntax;

    fn first(run: &str) -> Command {
        let p = syntax::parse(&format!("FROM a\nRUN {run}\n"));
        let s = script_of(&p.instructions[1], &["/bin/sh".into(), "-c".into()]).unwrap();
        s.commands[0].clone()
    }

    #[test]
    fn users_and_groups_created() {
        let a = account(&first("useradd --system --uid 10001 -g app -m app")).unwrap();
        assert_eq!(
            (a.kind, a.name.value.as_deref(), a.system),
            (AccountKind::User, Some("app"), true)
        );
        assert!(creates_user(&first("adduser -D -h /srv -G www web"), "web"));
        assert!(creates_user(
            &first("adduser --disabled-password --gecos '' --uid 1000 dev"),
            "dev"
        ));
        assert!(creates_user(&first("sudo useradd -r svc"), "svc"));
        let g = account(&first("addgroup -S -g 101 nginx")).unwrap();
        assert_eq!(g.kind, AccountKind::Group);
        assert_eq!(
            account(&first("adduser --system --group app"))
                .unwrap()
                .kind,
            AccountKind::User
        );
        assert_eq!(
            account(&first("adduser --group staff")).unwrap().kind,
            AccountKind::Group
        );
    }

    #[test]
    fn memberships_and_variables_create_no_known_user() {
        // Adds an existing user to a group.
        assert!(account(&first("adduser app staff")).is_none());
        assert!(account(&first("addgroup app wheel")).is_none());
        assert!(!creates_user(&first("useradd -g app web"), "app"));
        let v = account(&first("useradd -m \"$USERNAME\"")).unwrap();
        assert_eq!(v.name.value, None);
        assert!(manages_accounts(&first("groupadd -r app")));
        assert!(!manages_accounts(&first("usermod -aG app web")));
    }
}
