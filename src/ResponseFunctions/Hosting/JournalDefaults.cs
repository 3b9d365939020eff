namespace ResponseFunctions.Hosting;

internal static class JournalDefaults
{
    /// <summary>
    /// Where the journal goes when <c>Journal:Folder</c> is not set: under HOME, which App Service keeps (and
    /// shares between instances) on Windows and Linux plans; the user's profile locally.
    /// </summary>
    public static string Folder()
    {
        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        return Path.Combine(home, "data", "journal");
    }
}
