//! The codebook of a REFI-QDA project and which code each theme and probe is coded with.
//!
//! One guide: its themes at the top, each with its probes as child codes. Several guides (a
//! study): a theme whose id several guides share is ONE code at the top, so every importer
//! keeps every coding (two same-named codes make QualCoder store codings with no code); its
//! child codes are the probes of every guide, one per distinct text. Each guide's other themes
//! sit under a folder code named after the guide. GUIDs come from theme ids and probe words
//! (see [`super::refi`]), so a shared theme has one GUID in the study and in every session's
//! own export.
//!
//! Every codable code has a name no other code has (whatever its case): QualCoder keeps one
//! code per name and drops the codings of the others. A theme title used by two themes is
//! followed by its guide's title in brackets, a probe text used twice by its theme's title, and
//! so on (see [`UniqueNames`]).

use super::refi::{probe_code_guid, probe_key, theme_code_guid, write_description, xml_safe};
use crate::model::guide::{Guide, Probe, Theme};
use quick_xml::Writer;
use std::collections::{HashMap, HashSet};

/// Code names already given, so that each code's name is its own.
#[derive(Debug, Default, Clone)]
pub struct UniqueNames {
    used: HashSet<String>,
}

impl UniqueNames {
    /// `name` if no code has it yet, else `name (context)`, else `name (context) 2`, ...
    pub fn claim(&mut self, name: &str, context: &str) -> String {
        let mut candidate = name.to_string();
        let mut n = 1;
        while !self.used.insert(candidate.to_lowercase()) {
            n += 1;
            candidate = if n == 2 {
                format!("{name} ({context})")
            } else {
                format!("{name} ({context}) {}", n - 1)
            };
        }
        candidate
    }
}
use std::io::{self, Write};

/// One code of a theme: where its GUID comes from and the probes under it.
#[derive(Debug)]
pub struct ThemeCode<'a> {
    pub guid: String,
    pub theme: &'a Theme,
    /// The titles of the guides that have this theme, in order of first use.
    pub guides: Vec<&'a str>,
    /// Its child codes: (GUID, probe), one per distinct probe text.
    pub probes: Vec<(String, &'a Probe)>,
}

/// A guide of the project and its themes that no other guide shares.
#[derive(Debug)]
pub struct GuideFolder<'a> {
    pub guide: &'a Guide,
    pub versions: Vec<&'a str>,
    /// Indices in [`CodeMap::themes`].
    pub own: Vec<usize>,
}

/// Every theme code of a project and the lookups from (guide, theme, probe) to codes.
#[derive(Debug)]
pub struct CodeMap<'a> {
    pub themes: Vec<ThemeCode<'a>>,
    /// Indices in `themes` of the codes at the top (all of them for one guide).
    pub top: Vec<usize>,
    /// The guide folders (empty for one guide).
    pub folders: Vec<GuideFolder<'a>>,
    theme_of: HashMap<(String, String), usize>,
    probe_of: HashMap<(String, String, usize), String>,
    /// Each theme and probe code's name, by GUID.
    names: HashMap<String, String>,
    /// The names given so far: tags and speakers claim theirs after the themes'.
    pub used: UniqueNames,
}

impl<'a> CodeMap<'a> {
    /// The codes of the guides of a project's sessions (a guide is known by its title; the
    /// themes of every session run on it, by id, the first session's first).
    pub fn new(session_guides: impl IntoIterator<Item = &'a Guide>) -> Self {
        // Distinct guides by title, each with every theme any of its sessions has.
        let mut guides: Vec<(&'a Guide, Vec<&'a Theme>, Vec<&'a str>)> = Vec::new();
        for guide in session_guides {
            let index = match guides.iter().position(|g| g.0.title == guide.title) {
                Some(i) => i,
                None => {
                    guides.push((guide, Vec::new(), Vec::new()));
                    guides.len() - 1
                }
            };
            let entry = &mut guides[index];
            // Emergent themes have codes of their own, under the "Emergent themes" folder.
            for theme in guide.themes.iter().filter(|t| !t.emergent) {
                if !entry.1.iter().any(|t| t.id == theme.id) {
                    entry.1.push(theme);
                }
            }
            if let Some(v) = guide.version.as_deref()
                && !entry.2.contains(&v)
            {
                entry.2.push(v);
            }
        }
        let mut map = CodeMap {
            themes: Vec::new(),
            top: Vec::new(),
            folders: Vec::new(),
            theme_of: HashMap::new(),
            probe_of: HashMap::new(),
            names: HashMap::new(),
            used: UniqueNames::default(),
        };
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        for (guide, themes, _) in &guides {
            for theme in themes {
                let index = *by_id.entry(theme.id.as_str()).or_insert_with(|| {
                    map.themes.push(ThemeCode {
                        guid: theme_code_guid(&theme.id),
                        theme,
                        guides: Vec::new(),
                        probes: Vec::new(),
                    });
                    map.themes.len() - 1
                });
                let code = &mut map.themes[index];
                code.guides.push(&guide.title);
                for (p, probe) in theme.probes.iter().enumerate() {
                    let key = probe_key(&probe.text);
                    let guid = match code
                        .probes
                        .iter()
                        .find(|(_, known)| probe_key(&known.text) == key)
                    {
                        Some((guid, _)) => guid.clone(),
                        None => {
                            let guid = probe_code_guid(&theme.id, &probe.text);
                            code.probes.push((guid.clone(), probe));
                            guid
                        }
                    };
                    map.probe_of
                        .insert((guide.title.clone(), theme.id.clone(), p), guid);
                }
                map.theme_of
                    .insert((guide.title.clone(), theme.id.clone()), index);
            }
        }
        // Themes first, then probes: a theme keeps its own title before a probe does.
        for code in &map.themes {
            let name = map.used.claim(&code.theme.title, code.guides[0]);
            map.names.insert(code.guid.clone(), name);
        }
        for code in &map.themes {
            for (guid, probe) in &code.probes {
                let name = map.used.claim(&probe.text, &code.theme.title);
                map.names.insert(guid.clone(), name);
            }
        }
        if guides.len() <= 1 {
            map.top = (0..map.themes.len()).collect();
            return map;
        }
        map.top = (0..map.themes.len())
            .filter(|&i| map.themes[i].guides.len() > 1)
            .collect();
        for (guide, themes, versions) in guides {
            let own = themes
                .iter()
                .filter_map(|t| by_id.get(t.id.as_str()).copied())
                .filter(|&i| map.themes[i].guides.len() == 1)
                .collect();
            map.folders.push(GuideFolder {
                guide,
                versions,
                own,
            });
        }
        map
    }

    /// The code GUID of theme `theme_id` of the guide titled `guide_title`.
    pub fn theme_guid(&self, guide_title: &str, theme_id: &str) -> Option<&str> {
        self.theme_of
            .get(&(guide_title.to_string(), theme_id.to_string()))
            .map(|&i| self.themes[i].guid.as_str())
    }

    /// The code GUID of probe `index` (0-based) of a theme of a guide.
    pub fn probe_guid(&self, guide_title: &str, theme_id: &str, index: usize) -> Option<&str> {
        self.probe_of
            .get(&(guide_title.to_string(), theme_id.to_string(), index))
            .map(String::as_str)
    }

    /// Writes the theme codes: the top ones, then each guide's folder.
    pub fn write<W: Write>(&self, w: &mut Writer<W>) -> io::Result<()> {
        for &i in &self.top {
            self.write_theme(w, &self.themes[i])?;
        }
        for folder in &self.folders {
            if folder.own.is_empty() {
                continue;
            }
            let guid = super::refi::guide_folder_guid(&folder.guide.title);
            let name = xml_safe(&folder.guide.title);
            w.create_element("Code")
                .with_attributes([
                    ("guid", guid.as_str()),
                    ("name", name.as_ref()),
                    ("isCodable", "false"),
                ])
                .write_inner_content(|w| {
                    write_description(w, &folder_description(folder))?;
                    for &i in &folder.own {
                        self.write_theme(w, &self.themes[i])?;
                    }
                    Ok(())
                })?;
        }
        Ok(())
    }

    /// The name of the code with `guid`, as written.
    fn name_of<'s>(&'s self, guid: &str, fallback: &'s str) -> &'s str {
        self.names.get(guid).map_or(fallback, String::as_str)
    }

    fn write_theme<W: Write>(&self, w: &mut Writer<W>, code: &ThemeCode) -> io::Result<()> {
        let name = xml_safe(self.name_of(&code.guid, &code.theme.title));
        w.create_element("Code")
            .with_attributes([
                ("guid", code.guid.as_str()),
                ("name", name.as_ref()),
                ("isCodable", "true"),
            ])
            .write_inner_content(|w| {
                let mut description = super::refi::theme_description(code.theme);
                if code.guides.len() > 1 {
                    description.push_str(&format!("\n\nIn the guides: {}", code.guides.join("; ")));
                }
                write_description(w, &description)?;
                for (guid, probe) in &code.probes {
                    let name = self.name_of(guid, &probe.text);
                    super::refi::write_probe_code(w, guid, name, probe.required)?;
                }
                Ok(())
            })?;
        Ok(())
    }
}

/// A guide's folder description in a study of several guides.
fn folder_description(folder: &GuideFolder) -> String {
    let versions = if folder.versions.is_empty() {
        String::new()
    } else {
        format!(" (version {})", folder.versions.join(", "))
    };
    format!(
        "The themes of the topic guide \"{}\"{versions} that no other guide of the study has, their probes as child codes",
        folder.guide.title
    )
}
