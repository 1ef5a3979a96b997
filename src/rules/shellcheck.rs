//! ShellCheck inside RUN: the findings of the external ShellCheck pass
//! ([`crate::shellcheck`]), each under its own `SCxxxx` code, mapped back to the Dockerfile
//! through the source map of the script (continuation lines, the escape character, heredocs).

use crate::diagnostic::Severity;
use crate::rules::{Code, Ctx, FixAvailability, Group, Hooks, Report, Rule};
use crate::shellcheck::Level;

/// One code per ShellCheck check number: the ranges ShellCheck allots (SC1xxx parser, SC2xxx
/// checks, SC3xxx portability), so every one of them selects and suppresses exactly its
/// findings (`--ignore SC2086`, `# hadolint ignore=SC2086`).
macro_rules! sc_codes {
    ($($n:literal),* $(,)?) => {
        &[$(Code {
            name: concat!("SC", stringify!($n)),
            also: &[],
            summary: concat!(
                "ShellCheck SC", stringify!($n), " (https://www.shellcheck.net/wiki/SC",
                stringify!($n), ")"
            ),
        }),*]
    };
}

static CODES: &[Code] = sc_codes![
    1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015,
    1016, 1017, 1018, 1019, 1020, 1021, 1022, 1023, 1024, 1025, 1026, 1027, 1028, 1029, 1030, 1031,
    1032, 1033, 1034, 1035, 1036, 1037, 1038, 1039, 1040, 1041, 1042, 1043, 1044, 1045, 1046, 1047,
    1048, 1049, 1050, 1051, 1052, 1053, 1054, 1055, 1056, 1057, 1058, 1059, 1060, 1061, 1062, 1063,
    1064, 1065, 1066, 1067, 1068, 1069, 1070, 1071, 1072, 1073, 1074, 1075, 1076, 1077, 1078, 1079,
    1080, 1081, 1082, 1083, 1084, 1085, 1086, 1087, 1088, 1089, 1090, 1091, 1092, 1093, 1094, 1095,
    1096, 1097, 1098, 1099, 1100, 1101, 1102, 1103, 1104, 1105, 1106, 1107, 1108, 1109, 1110, 1111,
    1112, 1113, 1114, 1115, 1116, 1117, 1118, 1119, 1120, 1121, 1122, 1123, 1124, 1125, 1126, 1127,
    1128, 1129, 1130, 1131, 1132, 1133, 1134, 1135, 1136, 1137, 1138, 1139, 1140, 1141, 1142, 1143,
    1144, 1145, 1146, 1147, 1148, 1149, 1150, 1151, 1152, 1153, 1154, 1155, 1156, 1157, 1158, 1159,
    1160, 1161, 1162, 1163, 1164, 1165, 1166, 1167, 1168, 1169, 1170, 1171, 1172, 1173, 1174, 1175,
    1176, 1177, 1178, 1179, 1180, 1181, 1182, 1183, 1184, 1185, 1186, 1187, 1188, 1189, 1190, 1191,
    1192, 1193, 1194, 1195, 1196, 1197, 1198, 1199, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007,
    2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023,
    2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035, 2036, 2037, 2038, 2039,
    2040, 2041, 2042, 2043, 2044, 2045, 2046, 2047, 2048, 2049, 2050, 2051, 2052, 2053, 2054, 2055,
    2056, 2057, 2058, 2059, 2060, 2061, 2062, 2063, 2064, 2065, 2066, 2067, 2068, 2069, 2070, 2071,
    2072, 2073, 2074, 2075, 2076, 2077, 2078, 2079, 2080, 2081, 2082, 2083, 2084, 2085, 2086, 2087,
    2088, 2089, 2090, 2091, 2092, 2093, 2094, 2095, 2096, 2097, 2098, 2099, 2100, 2101, 2102, 2103,
    2104, 2105, 2106, 2107, 2108, 2109, 2110, 2111, 2112, 2113, 2114, 2115, 2116, 2117, 2118, 2119,
    2120, 2121, 2122, 2123, 2124, 2125, 2126, 2127, 2128, 2129, 2130, 2131, 2132, 2133, 2134, 2135,
    2136, 2137, 2138, 2139, 2140, 2141, 2142, 2143, 2144, 2145, 2146, 2147, 2148, 2149, 2150, 2151,
    2152, 2153, 2154, 2155, 2156, 2157, 2158, 2159, 2160, 2161, 2162, 2163, 2164, 2165, 2166, 2167,
    2168, 2169, 2170, 2171, 2172, 2173, 2174, 2175, 2176, 2177, 2178, 2179, 2180, 2181, 2182, 2183,
    2184, 2185, 2186, 2187, 2188, 2189, 2190, 2191, 2192, 2193, 2194, 2195, 2196, 2197, 2198, 2199,
    2200, 2201, 2202, 2203, 2204, 2205, 2206, 2207, 2208, 2209, 2210, 2211, 2212, 2213, 2214, 2215,
    2216, 2217, 2218, 2219, 2220, 2221, 2222, 2223, 2224, 2225, 2226, 2227, 2228, 2229, 2230, 2231,
    2232, 2233, 2234, 2235, 2236, 2237, 2238, 2239, 2240, 2241, 2242, 2243, 2244, 2245, 2246, 2247,
    2248, 2249, 2250, 2251, 2252, 2253, 2254, 2255, 2256, 2257, 2258, 2259, 2260, 2261, 2262, 2263,
    2264, 2265, 2266, 2267, 2268, 2269, 2270, 2271, 2272, 2273, 2274, 2275, 2276, 2277, 2278, 2279,
    2280, 2281, 2282, 2283, 2284, 2285, 2286, 2287, 2288, 2289, 2290, 2291, 2292, 2293, 2294, 2295,
    2296, 2297, 2298, 2299, 2300, 2301, 2302, 2303, 2304, 2305, 2306, 2307, 2308, 2309, 2310, 2311,
    2312, 2313, 2314, 2315, 2316, 2317, 2318, 2319, 2320, 2321, 2322, 2323, 2324, 2325, 2326, 2327,
    2328, 2329, 2330, 2331, 2332, 2333, 2334, 2335, 2336, 2337, 2338, 2339, 2340, 2341, 2342, 2343,
    2344, 2345, 2346, 2347, 2348, 2349, 2350, 2351, 2352, 2353, 2354, 2355, 2356, 2357, 2358, 2359,
    2360, 2361, 2362, 2363, 2364, 2365, 2366, 2367, 2368, 2369, 2370, 2371, 2372, 2373, 2374, 2375,
    2376, 2377, 2378, 2379, 2380, 2381, 2382, 2383, 2384, 2385, 2386, 2387, 2388, 2389, 2390, 2391,
    2392, 2393, 2394, 2395, 2396, 2397, 2398, 2399, 3000, 3001, 3002, 3003, 3004, 3005, 3006, 3007,
    3008, 3009, 3010, 3011, 3012, 3013, 3014, 3015, 3016, 3017, 3018, 3019, 3020, 3021, 3022, 3023,
    3024, 3025, 3026, 3027, 3028, 3029, 3030, 3031, 3032, 3033, 3034, 3035, 3036, 3037, 3038, 3039,
    3040, 3041, 3042, 3043, 3044, 3045, 3046, 3047, 3048, 3049, 3050, 3051, 3052, 3053, 3054, 3055,
    3056, 3057, 3058, 3059, 3060, 3061, 3062, 3063, 3064, 3065, 3066, 3067, 3068, 3069, 3070, 3071,
    3072, 3073, 3074, 3075, 3076, 3077, 3078, 3079, 3080, 3081, 3082, 3083, 3084, 3085, 3086, 3087,
    3088, 3089, 3090, 3091, 3092, 3093, 3094, 3095, 3096, 3097, 3098, 3099,
];

/// Declared by hand rather than with `declare_rule!`: its codes are ShellCheck's numbers.
pub static RULE: Rule = Rule {
    slug: "shellcheck",
    codes: CODES,
    group: Group::Pedantic,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    since: "0.5.0",
    summary: "ShellCheck reports a problem in a RUN script",
    doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/lints/shellcheck.md")),
    options: None,
    hooks: Hooks {
        file: Some(check),
        ..Hooks::NONE
    },
    offer_suppression: true,
};

fn check(ctx: &Ctx, out: &mut Report) {
    for checked in ctx.shellcheck {
        let input = &checked.input;
        let text = &input.script.text;
        let lines = input.lines();
        for c in checked.comments.iter() {
            // On the preamble of known variables, or past the script.
            let Some(line) = input.script_line(c.line).filter(|&l| l <= lines) else {
                continue;
            };
            let Some(start) = offset(text, line, c.column) else {
                continue;
            };
            let end_line = input
                .script_line(c.end_line)
                .unwrap_or(line)
                .clamp(line, lines);
            let end = offset(text, end_line, c.end_column)
                .filter(|&e| e > start)
                .unwrap_or_else(|| next_char(text, start));
            let range = input.script.range_to_source(start..end);
            let code = format!("SC{}", c.code);
            let severity = match c.level {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
                Level::Info | Level::Style => Severity::Info,
            };
            let finding = out
                .report(range, message(&c.message))
                .severity(severity)
                .help(format!("see https://www.shellcheck.net/wiki/{code}"));
            if RULE.code(&code).is_some() {
                drop(finding.code(&code));
            }
        }
    }
}

/// Byte offset of a 1-based line and character column in `text`, clamped to the line's end.
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text.get(start..)?.find('\n')? + 1;
    }
    let rest = text.get(start..)?;
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let at = rest[..line_len]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_len, |(i, _)| i);
    Some(start + at)
}

/// The offset after the character at `at` (or `at` at the end).
fn next_char(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|r| r.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

/// ShellCheck's sentence in dlint's style: lowercase start (acronyms kept), no final period.
fn message(m: &str) -> String {
    let m = m.trim().trim_end_matches('.');
    let mut chars = m.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(m[a.len_utf8()..].chars()).collect()
        }
        _ => m.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters() {
        let t = "a\n\u{e9}b c\n";
        assert_eq!(offset(t, 1, 1), Some(0));
        assert_eq!(offset(t, 2, 2), Some(4));
        assert_eq!(offset(t, 2, 99), Some(7));
        assert_eq!(offset(t, 9, 1), None);
        assert_eq!(message("Double quote it."), "double quote it");
        assert_eq!(message("POSIX sh lacks it."), "POSIX sh lacks it");
    }
}
