"""Registry curation: the tools that run the registry through the real readers and matchers.

Entries' examples through the APK and policy matchers (``examples``, lint code R012), coverage of
LibChecker-Rules' products (``coverage``), drafts of missing entries (``drafts``) and the impact of
a registry change on a corpus of APKs and policies (``diff``). They compose ``sdkreg.registry``
with ``sdkreg.match``, ``sdkreg.apk`` and ``sdkreg.policy``, so they live here: the registry
package itself depends on none of those.
"""
