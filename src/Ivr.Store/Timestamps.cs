namespace Ivr.Store;

/// <summary>Npgsql reads <c>timestamptz</c> as a UTC <see cref="DateTime"/> and writes only offset-zero <see cref="DateTimeOffset"/>s.</summary>
internal static class Timestamps
{
    public static DateTimeOffset FromDatabase(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    public static DateTimeOffset? FromDatabase(DateTime? utc) => utc is { } value ? FromDatabase(value) : null;
}
