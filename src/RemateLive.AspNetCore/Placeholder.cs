namespace RemateLive.AspNetCore;
