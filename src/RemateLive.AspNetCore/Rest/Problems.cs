using Microsoft.AspNetCore.Http;
using RemateLive.Domain;

namespace RemateLive.AspNetCore.Rest;

/// <summary>RFC 9457 problem details with the spec's <c>code</c> extension (and <c>errors</c> for validation).</summary>
internal static class Problems
{
    public static IResult Error(string code, string detail, int? status = null, IDictionary<string, object?>? extra = null)
    {
        var statusCode = status ?? StatusFor(code);
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code };
        if (extra is not null)
        {
            foreach (var (k, v) in extra)
            {
                extensions[k] = v;
            }
        }

        // TypedResults applies the framework's defaults (type URI, title); we write it with our own JSON options.
        return WireJsonResult.Problem(TypedResults.Problem(detail: detail, statusCode: statusCode, title: TitleFor(code), extensions: extensions).ProblemDetails);
    }

    public static IResult Error(DomainError error, IDictionary<string, object?>? extra = null) => Error(error.Code, error.Message, null, extra);

    public static IResult Validation(IDictionary<string, string[]> errors) =>
        WireJsonResult.Problem(TypedResults.ValidationProblem(
            errors,
            detail: "One or more fields are invalid: " + string.Join(", ", errors.Keys) + ".",
            title: TitleFor(ErrorCodes.ValidationFailed),
            extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.ValidationFailed }).ProblemDetails);

    public static IResult Validation(string field, string message) => Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult NotFound(string detail = "No such auction.") => Error(ErrorCodes.NotFound, detail);

    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.ValidationFailed or ErrorCodes.InvalidMessage => StatusCodes.Status400BadRequest,
        ErrorCodes.NotAuthenticated or ErrorCodes.UsernameTaken => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Concurrency => StatusCodes.Status409Conflict,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status422UnprocessableEntity, // BID_TOO_LOW, AUCTION_CLOSED, AUCTION_NOT_OPEN, SELLER_CANNOT_BID, INVALID_AMOUNT, NOT_LEADING, MAX_TOO_LOW
    };

    private static string TitleFor(string code) => code switch
    {
        ErrorCodes.ValidationFailed => "The request is invalid.",
        ErrorCodes.NotAuthenticated => "Sign in first.",
        ErrorCodes.UsernameTaken => "The username is taken.",
        ErrorCodes.Forbidden => "Not allowed.",
        ErrorCodes.NotFound => "Not found.",
        ErrorCodes.Concurrency => "Too many concurrent changes.",
        ErrorCodes.RateLimited => "Too many requests.",
        ErrorCodes.Unavailable => "Temporarily unavailable.",
        ErrorCodes.BidTooLow => "The bid is too low.",
        ErrorCodes.AuctionClosed => "The auction is closed.",
        ErrorCodes.AuctionNotOpen => "The auction is not open.",
        ErrorCodes.SellerCannotBid => "The seller cannot bid.",
        ErrorCodes.InvalidAmount => "The amount is invalid.",
        ErrorCodes.NotLeading => "You are not the leading bidder.",
        ErrorCodes.MaxTooLow => "The new maximum is not above your current one.",
        _ => "The request could not be completed.",
    };
}
